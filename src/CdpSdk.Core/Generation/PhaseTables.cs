using CdpSdk.Core.Model;

namespace CdpSdk.Core.Generation;

/// <summary>The tables a phase must leave behind when it succeeded; Validate checks them, reports list them.</summary>
public static class PhaseTables
{
    public const string IngestionLog = IngestionGenerator.LogTable;

    /// <summary>
    /// A log or statistics table that every run appends to (ingestion_log, &lt;id&gt;_result_key_stats,
    /// &lt;id&gt;_source_key_stats), as opposed to a data table a run replaces or merges into. Its row count
    /// grows by design, so it is counted apart and row_count_change does not compare it.
    /// </summary>
    public static bool IsLog(string table) =>
        table == IngestionLog || table.EndsWith("_result_key_stats", StringComparison.Ordinal) || table.EndsWith("_source_key_stats", StringComparison.Ordinal);

    public static IReadOnlyList<(string Database, string Table)> Expected(PipelineSpec spec, Phase phase)
    {
        IEnumerable<(string, string)> tables = phase switch
        {
            Phase.Ingestion => Ingestion(spec),
            Phase.HistUnion => spec.HistUnion.Select(h => (h.Database, h.Output)),
            Phase.Staging => spec.Staging.Select(s => (s.Database, s.Output)),
            Phase.Unification => spec.Unifications.SelectMany(u =>
                u.Tables.Select(t => (u.Database, t.EnrichedTable)).Append((u.Database, u.IdName + "_lookup")).Append((u.Database, u.IdName + "_result_key_stats"))),
            _ => throw new ArgumentOutOfRangeException(nameof(phase)),
        };
        return tables.Distinct().ToList();
    }

    static IEnumerable<(string, string)> Ingestion(PipelineSpec spec)
    {
        foreach (var o in spec.Objects)
        {
            var source = spec.SourceOf(o);
            if (source.LoadsHistorical) yield return (source.Database, o.HistTable);
            if (source.LoadsIncremental) yield return (source.Database, o.Table);
        }
        foreach (var database in spec.Sources.Select(s => s.Database).Distinct())
            yield return (database, IngestionLog);
    }
}

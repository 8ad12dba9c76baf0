using CdpSdk.Core.Configuration;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Testing;

/// <summary>What a tested transform reads and writes: the tables a test may give rows for, and its output's columns.</summary>
internal static class TestInputs
{
    /// <param name="Main">The input a CSV Given fills: the staging input, the incremental table (else the historical one), the unified table itself.</param>
    public sealed record Inputs((string Database, string Table) Main, IReadOnlyList<(string Database, string Table)> All);

    /// <summary>The tables of a phase a test can target.</summary>
    public static IEnumerable<(string Database, string Table)> Outputs(PipelineSpec spec, Phase phase) => phase switch
    {
        Phase.HistUnion => spec.HistUnion.Select(h => (h.Database, h.Output)),
        Phase.Staging => spec.Staging.Select(s => (s.Database, s.Output)),
        Phase.Unification => spec.Unifications.Where(u => u.UnifyYmlPath.Length == 0).SelectMany(u =>
            u.Tables.Select(t => (u.Database, t.EnrichedTable)).Concat(u.MasterAttributes.Select(a => a.MasterTable).Distinct().Select(m => (u.Database, m)))),
        _ => [],
    };

    public static Inputs Of(PipelineSpec spec, Phase phase, string database, string table)
    {
        switch (phase)
        {
            case Phase.HistUnion:
                var h = spec.HistUnion.First(x => x.Database == database && x.Output == table);
                var tables = new[] { h.IncTable, h.HistTable }.OfType<string>().Select(t => (h.Database, t)).ToList();
                return new Inputs(tables[0], tables);
            case Phase.Staging:
                var s = spec.Staging.First(x => x.Database == database && x.Output == table);
                return new Inputs((s.InputDatabase, s.Input), [(s.InputDatabase, s.Input)]);
            default:
                var (u, t) = Unified(spec, database, table);
                var main = t ?? u.Tables[0];
                return new Inputs((main.Database, main.Table), u.Tables.Select(x => (x.Database, x.Table)).ToList());
        }
    }

    /// <summary>The output's columns when the project tells them (null when a user's SQL decides).</summary>
    public static IReadOnlyList<string>? OutputColumns(PipelineSpec spec, Phase phase, string database, string table)
    {
        switch (phase)
        {
            case Phase.HistUnion:
                var h = spec.HistUnion.First(x => x.Database == database && x.Output == table);
                return SourceColumns.Of(spec, h.Database, h.IncTable ?? h.HistTable!);
            case Phase.Staging:
                return SourceColumns.Of(spec, database, table);
            default:
                var (u, t) = Unified(spec, database, table);
                // A master table's columns are the engine's (the id and one per attribute); checked when the test runs.
                return t is null ? null : SourceColumns.Of(spec, t.Database, t.Table)?.Append(u.IdName).ToList();
        }
    }

    /// <summary>The unification writing <paramref name="table"/>, and the unified table it enriches (null for a master table).</summary>
    public static (UnificationSpec, UnifyTable?) Unified(PipelineSpec spec, string database, string table)
    {
        var u = spec.Unifications.First(x => x.Database == database && (x.Tables.Any(t => t.EnrichedTable == table) || x.MasterAttributes.Any(a => a.MasterTable == table)));
        return (u, u.Tables.FirstOrDefault(t => t.EnrichedTable == table));
    }
}

using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// The unification figures the report reads from the warehouse: profiles, coverage and key values from the
/// enriched and lookup tables; the key stats of the latest run (both tables are appended to on every run, so
/// earlier runs' rows are left out and the run's epoch shown as a UTC date); the graph and the master tables.
/// A failed query leaves its part out with a note.
/// </summary>
internal sealed class UnificationFacts(PipelineSpec spec, IWorkflowBackend backend, List<string> notes, CancellationToken ct)
{
    readonly ISqlDialect _sql = SqlDialects.Queries;

    public async Task<IReadOnlyList<UnificationRow>> ReadAsync()
    {
        var rows = new List<UnificationRow>();
        foreach (var u in spec.Unifications)
        {
            var present = (await Try(() => backend.ListTablesAsync(u.Database, ct), $"the tables of {u.Database}") ?? []).ToDictionary(t => t.Name);
            var enriched = u.Tables.Select(t => t.EnrichedTable).Where(present.ContainsKey).ToList();
            if (enriched.Count == 0) continue;
            var id = _sql.Quote(u.IdName);
            long records = 0, withId = 0;
            foreach (var t in enriched)
            {
                var r = await Try(() => backend.QueryAsync(u.Database, $"SELECT COUNT(*), COUNT({id}) FROM {_sql.Table(u.Database, t)}", ct), $"{u.Database}.{t}");
                if (r is null) continue;
                records += Long(r.Rows[0][0]);
                withId += Long(r.Rows[0][1]);
            }
            var union = string.Join(" UNION ALL ", enriched.Select(t => $"SELECT {id} AS id FROM {_sql.Table(u.Database, t)}"));
            var profiles = Long((await Try(() => backend.QueryAsync(u.Database, $"SELECT COUNT(DISTINCT id) FROM ({union}) ids", ct), "the number of profiles"))?.Scalar);
            var keyValues = present.TryGetValue(u.IdName + "_lookup", out var l) ? l.Rows : 0;
            var (keyStats, statsTime) = await LatestRunAsync(u, u.IdName + "_result_key_stats", present);
            var (sourceStats, _) = await LatestRunAsync(u, u.IdName + "_source_key_stats", present);
            rows.Add(new UnificationRow(u.Name, u.IdName, u.Database, records, withId, profiles, keyValues,
                records == 0 ? 0 : 100.0 * withId / records,
                withId == 0 ? 0 : 100.0 * (1 - (double)profiles / withId),
                profiles == 0 ? 0 : (double)keyValues / profiles,
                u.MergeIterations,
                spec.Settings.Target == TargetKind.Local
                    ? "the Local engine links records transitively in one pass (union-find); merge_iterations is passed to TD as configured"
                    : "see the unification workflow's log on Treasure Data for the iterations it needed",
                keyStats)
            {
                SourceKeyStats = sourceStats,
                KeyStatsTime = statsTime,
                GraphRows = present.TryGetValue(u.IdName + "_graph", out var graph) ? graph.Rows : null,
                MasterTables = u.MasterAttributes.GroupBy(a => a.MasterTable).Where(g => present.ContainsKey(g.Key))
                    .Select(g => new MasterTableRow(g.Key, present[g.Key].Rows, g.Select(a => a.Name).ToList())).ToList(),
            });
        }
        return rows;
    }

    /// <summary>The rows of a key-stats table from its latest run (the greatest time), without the time column.</summary>
    async Task<(KeyStatsTable Table, DateTimeOffset? Time)> LatestRunAsync(UnificationSpec u, string table, IReadOnlyDictionary<string, TableInfo> present)
    {
        if (!present.TryGetValue(table, out var info)) return (new KeyStatsTable([], []), null);
        var from = _sql.Table(u.Database, table);
        var hasTime = info.Columns.Contains("time");
        var result = await Try(() => backend.QueryAsync(u.Database,
            hasTime ? $"SELECT * FROM {from} WHERE time = (SELECT MAX(time) FROM {from})" : $"SELECT * FROM {from}", ct), $"the rows of {u.Database}.{table}");
        if (result is null) return (new KeyStatsTable([], []), null);
        var keep = Enumerable.Range(0, result.Columns.Count).Where(i => result.Columns[i] != "time").ToList();
        var timeAt = result.Columns.ToList().IndexOf("time");
        DateTimeOffset? time = timeAt >= 0 && result.Rows.Count > 0 && result.Rows[0][timeAt] is { } t ? DateTimeOffset.FromUnixTimeSeconds(Long(t)) : null;
        return (new KeyStatsTable(keep.Select(i => result.Columns[i]).ToList(),
            result.Rows.Select(r => (IReadOnlyList<string?>)keep.Select(i => Text(r[i])).ToList()).ToList()), time);
    }

    Task<T?> Try<T>(Func<Task<T>> query, string what) where T : class => FactQuery.Try(notes, query, what);

    static long Long(object? v) => v is null ? 0 : Convert.ToInt64(v, CultureInfo.InvariantCulture);

    static string? Text(object? v) => v switch { null => null, IFormattable f => f.ToString(null, CultureInfo.InvariantCulture), _ => v.ToString() };
}

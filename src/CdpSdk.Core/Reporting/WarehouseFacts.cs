using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// What the report reads from the warehouse through the backend seam: the data dictionary (columns from
/// ListTablesAsync, types from typeof(), which the Local engine answers with Presto's names); the unification figures are UnificationFacts'.
/// A failed query leaves its part out with a note; a report is still worth having without it.
/// </summary>
internal sealed class WarehouseFacts(PipelineSpec spec, IWorkflowBackend backend, List<string> notes, CancellationToken ct)
{
    readonly ISqlDialect _sql = SqlDialects.Queries;

    public async Task<IReadOnlyList<DictionaryRow>> DictionaryAsync()
    {
        var rows = new List<DictionaryRow>();
        var describer = new ColumnDescriber(spec);
        foreach (var phase in PhaseOrder.All)
        {
            var expected = PhaseTables.Expected(spec, phase).ToList();
            foreach (var database in expected.Select(t => t.Database).Distinct())
            {
                var present = await Try(() => backend.ListTablesAsync(database, ct), $"the tables of {database}") ?? [];
                foreach (var info in present.Where(i => expected.Contains((database, i.Name))).OrderBy(i => expected.IndexOf((database, i.Name))))
                {
                    var types = await TypesAsync(info);
                    foreach (var column in info.Columns)
                    {
                        var (description, source) = describer.Describe(phase, database, info.Name, column);
                        rows.Add(new DictionaryRow($"{database}.{info.Name}", column, types.GetValueOrDefault(column, "unknown"), description, source));
                    }
                }
            }
        }
        return rows;
    }

    /// <summary>The most common non-null type per column over a few rows (Presto's names: varchar, bigint, double …).</summary>
    async Task<IReadOnlyDictionary<string, string>> TypesAsync(TableInfo info)
    {
        if (info.Columns.Count == 0) return new Dictionary<string, string>();
        var select = string.Join(", ", info.Columns.Select((c, i) => $"typeof({_sql.Quote(c)}) AS {_sql.Quote("t" + i)}"));
        var result = await Try(() => backend.QueryAsync(info.Database, $"SELECT {select} FROM {_sql.Table(info.Database, info.Name)} LIMIT 50", ct),
            $"the column types of {info.Database}.{info.Name}");
        var types = new Dictionary<string, string>();
        if (result is null) return types;
        for (var i = 0; i < info.Columns.Count; i++)
        {
            var seen = result.Rows.Select(r => r[i] as string).Where(t => t is not null && t != "null").GroupBy(t => t!).OrderByDescending(g => g.Count()).FirstOrDefault();
            types[info.Columns[i]] = seen?.Key ?? "null";
        }
        return types;
    }

    Task<T?> Try<T>(Func<Task<T>> query, string what) where T : class => FactQuery.Try(notes, query, what);
}

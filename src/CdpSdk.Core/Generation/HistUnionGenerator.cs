using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// hist_union/: per source one workflow that rebuilds {table}_hist_union from the historical and
/// incremental tables, one row per primary key, the latest by the incremental field.
/// </summary>
internal static class HistUnionGenerator
{
    public static (List<GeneratedFile>, List<string>) Generate(PipelineSpec spec, ISqlDialect sql)
    {
        var files = new List<GeneratedFile>();
        var workflows = new List<string>();
        foreach (var group in spec.HistUnion.GroupBy(h => h.Source))
        {
            var workflow = $"{group.Key}_hist_union";
            var dig = WorkflowGenerator.Workflow(spec, Phase.HistUnion, group.First().Database, scheduled: true);
            foreach (var h in group)
            {
                var query = $"queries/{h.Table}_union.sql";
                files.Add(new GeneratedFile(query, UnionSql(sql, h)));
                dig.Map(0, $"+{h.Table}")
                    .Pair(1, "td>", query)
                    .Pair(1, "database", h.Database)
                    .Pair(1, "create_table", h.Output)
                    .Blank();
            }
            files.Add(new GeneratedFile(workflow + ".dig", dig.End()));
            workflows.Add(workflow);
        }
        return (files, workflows);
    }

    /// <summary>
    /// Generate knows no columns, so the query keeps SELECT * and drops superseded rows with an anti-join
    /// instead of ROW_NUMBER (which would add a column). A row survives when no row of the same key is
    /// newer; on a tie the incremental row wins over the historical one.
    /// </summary>
    internal static string UnionSql(ISqlDialect sql, HistUnionTableSpec h)
    {
        var key = sql.Quote(h.PrimaryKey);
        var field = sql.Quote(h.IncrementalField);
        var hist = h.HistTable is null ? null : sql.Table(h.Database, h.HistTable);
        var inc = h.IncTable is null ? null : sql.Table(h.Database, h.IncTable);

        // Rows of {from} for which no row of each {table} with the same key is newer ({op}).
        string Latest(string from, string alias, params (string Table, string Op)[] newer) =>
            $"SELECT {alias}.* FROM {from} {alias}\nWHERE " + string.Join("\n  AND ",
                newer.Select(n => $"NOT EXISTS (SELECT 1 FROM {n.Table} n WHERE n.{key} = {alias}.{key} AND n.{field} {n.Op} {alias}.{field})"));

        var parts = new List<string>();
        if (inc is not null) parts.Add(Latest(inc, "i", (inc, ">")));
        if (hist is not null)
            parts.Add(inc is null ? Latest(hist, "h", (hist, ">")) : Latest(hist, "h", (hist, ">"), (inc, ">=")));
        return WorkflowGenerator.SqlHeader + "\n" +
            $"-- {h.Output}: latest row per {h.PrimaryKey} by {h.IncrementalField}" +
            (hist is not null && inc is not null ? "; incremental wins ties.\n" : ".\n") +
            string.Join("\nUNION ALL\n", parts) + "\n";
    }
}

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
                dig.Line($"+{h.Table}:")
                    .Line(1, "td>: " + query)
                    .Line(1, "database: " + YamlText.Str(h.Database))
                    .Line(1, "create_table: " + YamlText.Str(h.Output))
                    .Line();
            }
            files.Add(new GeneratedFile(workflow + ".dig", dig.End()));
            workflows.Add(workflow);
        }
        return (files, workflows);
    }

    /// <summary>
    /// Generate knows no columns, so the query keeps SELECT * and drops superseded rows with NOT EXISTS
    /// instead of ROW_NUMBER (which would add a column). A row survives when no row of the same key is
    /// newer; on a tie the incremental row wins over the historical one.
    /// </summary>
    internal static string UnionSql(ISqlDialect sql, HistUnionTableSpec h)
    {
        var key = sql.Quote(h.PrimaryKey);
        var field = sql.Quote(h.IncrementalField);
        var hist = h.HistTable is null ? null : sql.Table(h.Database, h.HistTable);
        var inc = h.IncTable is null ? null : sql.Table(h.Database, h.IncTable);

        string Newer(string table, string alias, string op) =>
            $"NOT EXISTS (SELECT 1 FROM {table} n WHERE n.{key} = {alias}.{key} AND n.{field} {op} {alias}.{field})";

        var parts = new List<string>();
        if (inc is not null)
            parts.Add($"SELECT i.* FROM {inc} i\nWHERE {Newer(inc, "i", ">")}");
        if (hist is not null)
        {
            var where = Newer(hist, "h", ">");
            if (inc is not null) where += "\n  AND " + Newer(inc, "h", ">=");
            parts.Add($"SELECT h.* FROM {hist} h\nWHERE {where}");
        }
        return WorkflowGenerator.SqlHeader + "\n" +
            $"-- {h.Output}: latest row per {h.PrimaryKey} by {h.IncrementalField}" +
            (hist is not null && inc is not null ? "; incremental wins ties.\n" : ".\n") +
            string.Join("\nUNION ALL\n", parts) + "\n";
    }
}

using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// staging/: per source a transform workflow writing cleaned copies into the staging database: every
/// input column, plus cleaned_* emails, standardized_* phones and ISO 8601 timestamps.
/// </summary>
internal static class StagingGenerator
{
    public static (List<GeneratedFile>, List<string>) Generate(PipelineSpec spec, ISqlDialect sql)
    {
        var files = new List<GeneratedFile>();
        var workflows = new List<string>();
        foreach (var group in spec.Staging.GroupBy(s => s.Source))
        {
            var workflow = $"transform_{group.Key}";
            var database = group.First().Database;
            var dig = new YamlText().Line(YamlText.Header).Line("timezone: UTC").Line();
            foreach (var line in WorkflowGenerator.TdExport(spec, database)) dig.Line(line);
            dig.Line().Line("+create_database:").Line(1, "td_ddl>:")
                .Line(1, "create_databases: " + YamlText.List(group.Select(s => s.Database).Distinct())).Line();
            foreach (var s in group)
            {
                var query = $"queries/{s.Output}_transform.sql";
                files.Add(new GeneratedFile(query, TransformSql(sql, s)));
                dig.Line($"+{s.Output}:")
                    .Line(1, "td>: " + query)
                    .Line(1, "database: " + YamlText.Str(s.Database))
                    .Line(1, "create_table: " + YamlText.Str(s.Output))
                    .Line();
            }
            files.Add(new GeneratedFile(workflow + ".dig", dig.ToString().TrimEnd('\n') + "\n"));
            workflows.Add(workflow);
        }
        return (files, workflows);
    }

    internal static string TransformSql(ISqlDialect sql, StagingTableSpec s)
    {
        var columns = new List<string> { "  t.*" };
        columns.AddRange(s.EmailColumns.Select(c => $"  {sql.CleanEmail("t." + sql.Quote(c))} AS {sql.Quote("cleaned_" + c)}"));
        columns.AddRange(s.PhoneColumns.Select(c => $"  {sql.DigitsOnly("t." + sql.Quote(c))} AS {sql.Quote("standardized_" + c)}"));
        columns.AddRange(s.TimestampColumns.Select(c => $"  {sql.Iso8601("t." + sql.Quote(c))} AS {sql.Quote("standardized_" + c)}"));
        return WorkflowGenerator.SqlHeader + "\n" +
            $"-- {s.Database}.{s.Output} from {s.InputDatabase}.{s.Input}.\n" +
            "SELECT\n" + string.Join(",\n", columns) + "\n" +
            $"FROM {sql.Table(s.InputDatabase, s.Input)} t\n";
    }
}

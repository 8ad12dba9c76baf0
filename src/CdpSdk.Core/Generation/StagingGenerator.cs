using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// staging/: per source a transform workflow writing cleaned copies into the staging database: every
/// input column, plus cleaned_* emails, standardized_* phones and ISO 8601 timestamps, then the user's own
/// SELECT over those rows when the CdpStaging item gives TransformSql: the Presto file in the Presto rendering
/// (Local, TD's Presto), the TransformHiveSql file in the Hive one.
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
            var dig = WorkflowGenerator.Workflow(spec, Phase.Staging, group.First().Database, scheduled: true);
            dig.Map(0, "+create_database").Map(1, "td_ddl>")
                .Pair(1, "create_databases", YamlValue.List(group.Select(s => s.Database).Distinct())).Blank();
            foreach (var s in group)
            {
                var query = $"queries/{s.Output}_transform.sql";
                files.Add(new GeneratedFile(query, TransformSql(sql, s, UserSql(spec, s, sql))));
                dig.Map(0, $"+{s.Output}")
                    .Pair(1, "td>", query)
                    .Pair(1, "database", s.Database)
                    .Pair(1, "create_table", s.Output)
                    .Blank();
            }
            files.Add(new GeneratedFile(workflow + ".dig", dig.End()));
            workflows.Add(workflow);
        }
        return (files, workflows);
    }

    internal static string TransformSql(ISqlDialect sql, StagingTableSpec s, string? userSql = null)
    {
        var columns = new List<string> { "  t.*" };
        columns.AddRange(s.EmailColumns.Select(c => $"  {sql.CleanEmail("t." + sql.Quote(c))} AS {sql.Quote("cleaned_" + c)}"));
        columns.AddRange(s.PhoneColumns.Select(c => $"  {sql.DigitsOnly("t." + sql.Quote(c))} AS {sql.Quote("standardized_" + c)}"));
        columns.AddRange(s.TimestampColumns.Select(c => $"  {sql.Iso8601("t." + sql.Quote(c))} AS {sql.Quote("standardized_" + c)}"));
        var cleaned = "SELECT\n" + string.Join(",\n", columns) + "\n" + $"FROM {sql.Table(s.InputDatabase, s.Input)} t";
        var header = WorkflowGenerator.SqlHeader + "\n" + $"-- {s.Database}.{s.Output} from {s.InputDatabase}.{s.Input}.\n";
        if (userSql is null) return header + cleaned + "\n";
        // WITH … AS (…) <user's SELECT> is valid in Presto and Hive (and so on Local, which runs Presto); the user's text, in the dialect's own file, is copied as written.
        return header + $"-- Then the user's transform {UserTransform.FileFor(s, sql)}, reading the cleaned rows as '{UserTransform.CleanedRelation}'.\n" +
            $"WITH {UserTransform.CleanedRelation} AS (\n" + Indent(cleaned) + "\n)\n" + userSql + "\n";
    }

    /// <summary>The user's SELECT for the rendering in <paramref name="sql"/>, read at generation (the project reader already checked it).</summary>
    internal static string? UserSql(PipelineSpec spec, StagingTableSpec s, ISqlDialect sql)
    {
        var file = UserTransform.FileFor(s, sql);
        var metadata = UserTransform.MetadataFor(sql);
        if (file.Length == 0)
        {
            // The reader refuses a hive project's transform without its Hive file (CDP0106); a spec built otherwise must not deploy the Presto text to Hive.
            if (s.TransformSql.Length > 0)
                throw new CdpException("CDP0106", $"CdpStaging '{s.Output}' has {UserTransform.PrestoMetadata} '{s.TransformSql}' but no {metadata} for the {sql.Name} rendering.", s.At);
            return null;
        }
        var path = Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, file));
        if (!File.Exists(path))
            throw new CdpException("CDP1002", $"{metadata} '{file}' of staging table '{s.Output}' disappeared before generation (looked for {path}).", s.At);
        var text = File.ReadAllText(path);
        if (UserTransform.Problem(text) is { } problem)
            throw new CdpException(sql == SqlDialects.Hive ? "CDP0108" : "CDP0101", $"{metadata} '{file}' of staging table '{s.Output}' {problem}.", new SourceLocation(path, 1, 1));
        return UserTransform.Body(text);
    }

    static string Indent(string text) => string.Join("\n", text.Split('\n').Select(l => "  " + l));
}

using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// A syntax error in a user's TransformSql is reported at sql/&lt;file&gt;.sql and its line, whichever engine
/// wrote the error: Presto and DuckDB name a line of the generated query, or only the token. Each target's
/// adapter reads the engine's words into a SqlSyntaxError; Core maps that record, never the words.
/// </summary>
public sealed class TransformSqlLocationTests
{
    [Test]
    public void EachEnginesSyntaxErrorPointsAtTheLineOfTheUsersFile()
    {
        using var sample = new RetailSample();
        var file = Path.Combine(sample.Root, "sql", "web_signups.sql");
        File.WriteAllText(file, "-- my transform\nSELECT\n  *,\n  1 AS one,\nFROM cleaned\n");
        var spec = sample.Spec();
        var project = WorkflowGenerator.Generate(spec, Phase.Staging);
        ProjectWriter.Write(project, Path.Combine(spec.Settings.GeneratedDir, Phase.Staging.FolderName()));
        var generated = project.Files.Single(f => f.RelativePath == "queries/web_signups_transform.sql").Content.Split('\n');
        var fromLine = Array.FindIndex(generated, l => l == "FROM cleaned") + 1;
        const string task = "+transform_web+web_signups";

        // DuckDB's words, read by the Local adapter; it keeps "LINE n:" from the message's later lines (DuckDbWarehouse.FirstLine).
        var withoutLine = Locate(spec, task, LocalTaskErrors.Native("Parser Error: syntax error at or near \"FROM\""));
        Assert.That((withoutLine?.File, withoutLine?.Line), Is.EqualTo((file, 5)));

        var duckdb = Locate(spec, task, LocalTaskErrors.Native($"Parser Error: syntax error at or near \"FROM\" (LINE {fromLine}:)"));
        Assert.That((duckdb?.File, duckdb?.Line), Is.EqualTo((file, 5)));

        // Presto's position as the TD adapter records it (TdTaskErrorsTests reads Presto's and Hive's words).
        var presto = TransformSqlLocation.Find(spec, task, new SqlSyntaxError(fromLine, 1, "FROM"));
        Assert.That((presto?.File, presto?.Line, presto?.Column), Is.EqualTo((file, 5, 1)));

        Assert.That(LocalTaskErrors.Native("Binder Error: Referenced column \"x\" not found in FROM clause!").Syntax, Is.Null, "not a syntax error: CDP6104 handles a missing column");
        Assert.That(TransformSqlLocation.Find(spec, "+transform_shopify+shopify_orders", new SqlSyntaxError(Token: "FROM")), Is.Null, "a table without TransformSql");
    }

    static Core.Diagnostics.SourceLocation? Locate(Core.Model.PipelineSpec spec, string task, FailureCause cause)
    {
        Assert.That(cause.Syntax, Is.Not.Null, cause.Detail);
        return TransformSqlLocation.Find(spec, task, cause.Syntax!);
    }

    [Test]
    public void OnTreasureDataWithHiveTheErrorPointsAtTheHiveFile()
    {
        using var sample = new RetailSample();
        var hiveFile = Path.Combine(sample.Root, "sql", "web_signups.hive.sql");
        File.WriteAllText(hiveFile, "-- the Hive version\n-- of my transform\nSELECT\n  *,\n  1 AS `one`,\nFROM cleaned\n");
        var local = sample.Spec();
        var spec = local with
        {
            Settings = local.Settings with { Target = TargetKind.TreasureData, Engine = SqlEngine.Hive },
            Staging = local.Staging.Select(s => s.Output == "web_signups" ? s with { TransformHiveSql = "sql/web_signups.hive.sql" } : s).ToList(),
        };
        var project = WorkflowGenerator.Generate(spec, Phase.Staging);
        ProjectWriter.Write(project, Path.Combine(spec.Settings.GeneratedDir, Phase.Staging.FolderName()));
        var generated = project.Files.Single(f => f.RelativePath == "queries/web_signups_transform.sql").Content.Split('\n');
        var fromLine = Array.FindIndex(generated, l => l == "FROM cleaned") + 1;

        // Hive's parser names the generated query's line (TdTaskErrors reads it from "FAILED: ParseException line N:0 …",
        // tested with the TD target): it maps to line 6 of the Hive file, not to the Presto file.
        var hive = TransformSqlLocation.Find(spec, "+transform_web+web_signups", new SqlSyntaxError(fromLine, 0, "FROM"));
        Assert.That((hive?.File, hive?.Line), Is.EqualTo((hiveFile, 6)));
    }
}

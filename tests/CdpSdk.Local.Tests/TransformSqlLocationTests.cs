using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// A syntax error in a user's TransformSql is reported at sql/&lt;file&gt;.sql and its line, whichever engine
/// wrote the error: Presto and DuckDB name a line of the generated query, or only the token.
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

        var withoutLine = TransformSqlLocation.Find(spec, task, "SQL of task failed: Parser Error: syntax error at or near \"FROM\"");
        Assert.That((withoutLine?.File, withoutLine?.Line), Is.EqualTo((file, 5)));

        var presto = TransformSqlLocation.Find(spec, task, $"Query failed: line {fromLine}:1: mismatched input 'FROM'. Expecting: <expression>");
        Assert.That((presto?.File, presto?.Line, presto?.Column), Is.EqualTo((file, 5, 1)));

        var duckdb = TransformSqlLocation.Find(spec, task, $"Parser Error: syntax error at or near \"FROM\"\nLINE {fromLine}: FROM cleaned");
        Assert.That((duckdb?.File, duckdb?.Line), Is.EqualTo((file, 5)));

        Assert.That(TransformSqlLocation.Find(spec, task, "Binder Error: Referenced column \"x\" not found in FROM clause!"), Is.Null, "not a syntax error: CDP6104 handles a missing column");
        Assert.That(TransformSqlLocation.Find(spec, "+transform_shopify+shopify_orders", "Parser Error: syntax error at or near \"FROM\""), Is.Null, "a table without TransformSql");
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

        // Hive's parser names the generated query's line: it maps to line 6 of the Hive file, not to the Presto file.
        var hive = TransformSqlLocation.Find(spec, "+transform_web+web_signups", $"FAILED: ParseException line {fromLine}:0 cannot recognize input near 'FROM' 'cleaned' '<EOF>'");
        Assert.That((hive?.File, hive?.Line), Is.EqualTo((hiveFile, 6)));
    }
}

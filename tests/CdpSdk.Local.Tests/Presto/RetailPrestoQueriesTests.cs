using System.Text.RegularExpressions;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Local.Presto;
using CdpSdk.Testing;

namespace CdpSdk.Local.Tests.Presto;

/// <summary>
/// The retail sample's Presto rendering (what TD runs) executed through the Presto layer on DuckDB, in the
/// order the workflows run it: every hist-union, staging, prep, unif_input and enrich query of the generated
/// projects, over tables loaded from the sample's CSV files (all columns VARCHAR, as TD's CSV import leaves
/// text; the unification engine's lookup tables empty).
/// </summary>
public partial class RetailPrestoQueriesTests
{
    [GeneratedRegex(@"^(?<indent>\s*)td>:\s*(?<file>\S+\.sql)\s*$")]
    private static partial Regex TdTask();

    [GeneratedRegex(@"^\s*(?<key>database|create_table|insert_into):\s*(?<value>\S+)\s*$")]
    private static partial Regex TaskParameter();

    static PipelineSpec PrestoSpec()
    {
        var project = Path.Combine(RetailSample.RepositoryRoot, "samples", "retail", "retail.cdpproj");
        var raw = CdpprojFile.Read(project);
        var properties = new Dictionary<string, RawProperty>(raw.Properties, StringComparer.OrdinalIgnoreCase)
        {
            ["CdpTarget"] = new("CdpTarget", "TreasureData", new SourceLocation(project)),
            ["CdpSqlEngine"] = new("CdpSqlEngine", "presto", new SourceLocation(project)),
        };
        var result = PipelineSpecReader.Read(raw with { Properties = properties, DeclaredProperties = [.. properties.Values] },
            () => new ApiKey("12345/abcdef0123456789", "test"));
        Assert.That(result.Spec, Is.Not.Null, () => string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>The td> tasks of a generated project in file order: query file, database, and the table it creates or appends to.</summary>
    static IEnumerable<(string File, string Database, string Table)> TdTasks(GeneratedProject project)
    {
        foreach (var workflow in project.Files.Where(f => f.RelativePath.EndsWith(".dig", StringComparison.Ordinal)))
        {
            var lines = workflow.Content.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (TdTask().Match(lines[i]) is not { Success: true } task) continue;
                string? database = null, table = null;
                for (var j = i + 1; j < lines.Length && lines[j].Trim().Length > 0; j++)
                    if (TaskParameter().Match(lines[j]) is { Success: true } p)
                    {
                        if (p.Groups["key"].Value == "database") database = p.Groups["value"].Value;
                        else table = p.Groups["value"].Value;
                    }
                if (database is not null && table is not null) yield return (task.Groups["file"].Value, database, table);
            }
        }
    }

    [Test]
    public void EveryGeneratedPrestoQueryOfTheRetailSampleRunsOnDuckDb()
    {
        var spec = PrestoSpec();
        using var engine = PrestoEngine.Open();
        foreach (var database in spec.Objects.Select(o => spec.SourceOf(o).Database).Append("retail_stg").Append("cdp_unification_customer_360").Distinct())
            engine.ExecuteDuckDb($"CREATE SCHEMA IF NOT EXISTS \"{database}\"");
        foreach (var o in spec.Objects)
        {
            var database = spec.SourceOf(o).Database;
            Load(engine, database, o.Table, o.Location, spec.Settings.ProjectDirectory);
            if (o.HistoricalLocation.Length > 0) Load(engine, database, o.HistTable, o.HistoricalLocation, spec.Settings.ProjectDirectory);
        }
        // What the unification engine writes before enrich runs (its own C#, not a query).
        engine.ExecuteDuckDb("CREATE TABLE \"cdp_unification_customer_360\".\"td_id_lookup\" (\"id\" VARCHAR, \"id_key_type\" INTEGER, \"persistent_id\" VARCHAR)");
        engine.ExecuteDuckDb("CREATE TABLE \"cdp_unification_customer_360\".\"td_id_keys\" (\"key_type\" INTEGER, \"key_name\" VARCHAR)");

        var ran = new List<string>();
        foreach (var phase in new[] { Phase.HistUnion, Phase.Staging, Phase.Unification })
        {
            var project = WorkflowGenerator.Generate(spec, phase);
            foreach (var (file, database, table) in TdTasks(project))
            {
                var sql = project.Files.Single(f => f.RelativePath == file).Content;
                var where = $"{phase.FolderName()}/{file}";
                engine.Execute($"CREATE OR REPLACE TABLE \"{database}\".\"{table}\" AS\n{sql}", where);
                ran.Add($"{where} -> {database}.{table}");
            }
        }

        TestContext.Out.WriteLine(string.Join("\n", ran));
        Assert.Multiple(() =>
        {
            Assert.That(ran.Count(r => r.StartsWith("hist_union/", StringComparison.Ordinal)), Is.EqualTo(spec.HistUnion.Count), string.Join("\n", ran));
            Assert.That(ran.Count(r => r.StartsWith("staging/", StringComparison.Ordinal)), Is.EqualTo(spec.Staging.Count));
            Assert.That(ran, Has.Some.Contains("unif_input_tbl.sql"));
            Assert.That(ran.Count(r => r.Contains("_prep.sql")), Is.EqualTo(4));
            Assert.That(ran.Count(r => r.Contains("_enrich.sql")), Is.EqualTo(4));
        });

        // The trap issue 13 found: phones keep only their digits, as Presto's regexp_replace leaves them.
        var phones = engine.Query("SELECT count(*), count_if(regexp_like(standardized_mobile, '[^0-9]')) FROM retail_stg.pos_members WHERE standardized_mobile IS NOT NULL")[0];
        Assert.That(long.Parse(PrestoDisplay.Of(phones[0])), Is.GreaterThan(0));
        Assert.That(long.Parse(PrestoDisplay.Of(phones[1])), Is.Zero, "a standardized phone kept a non-digit");
        var rows = engine.Query("SELECT count(*) FROM retail_stg.unif_input")[0][0];
        Assert.That(long.Parse(PrestoDisplay.Of(rows)), Is.GreaterThan(0));
    }

    static void Load(PrestoEngine engine, string database, string table, string location, string projectDir)
    {
        var path = Path.Combine(projectDir, location).Replace("'", "''");
        engine.ExecuteDuckDb($"CREATE TABLE \"{database}\".\"{table}\" AS SELECT * FROM read_csv('{path}', all_varchar = true, header = true)");
    }
}

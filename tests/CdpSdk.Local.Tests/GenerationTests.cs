using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

public sealed class GenerationTests : RetailSampleTest
{
    [Test]
    public void SameSpecGivesByteIdenticalSortedFilesWithUnixLineEndings()
    {
        foreach (var phase in PhaseOrder.All)
        {
            var first = WorkflowGenerator.Generate(Sample.Spec(), phase);
            var second = WorkflowGenerator.Generate(Sample.Spec(), phase);
            Assert.That(second.Files, Is.EqualTo(first.Files), $"{phase} output differs between two runs");
            Assert.That(first.Files.Select(f => f.RelativePath), Is.EqualTo(first.Files.Select(f => f.RelativePath).Order(StringComparer.Ordinal)));
            Assert.That(first.Files.Where(f => f.Content.Contains('\r')), Is.Empty);
            Assert.That(first.ProjectName, Is.EqualTo($"retail_{phase.FolderName()}"));
        }
    }

    [Test]
    public void IngestionHasHistoricalBeforeIncrementalWorkflowsAndOneLoadConfigPerObjectAndKind()
    {
        var project = WorkflowGenerator.Generate(Sample.Spec(), Phase.Ingestion);
        Assert.That(project.Workflows, Is.EqualTo(new[] { "shopify_ingest_hist", "shopify_ingest_inc", "pos_ingest_inc", "web_ingest_inc" }));
        Assert.That(project.Files.Select(f => f.RelativePath), Is.SupersetOf(new[]
        {
            "shopify_ingest_hist.dig", "shopify_ingest_inc.dig", "config/shopify_customers_load.yml", "config/shopify_customers_hist_load.yml",
            "config/shopify_orders_load.yml", "config/shopify_orders_hist_load.yml", "config/pos_members_load.yml", "config/web_signups_load.yml",
        }));
        var inc = project.Files.Single(f => f.RelativePath == "config/shopify_customers_load.yml").Content;
        Assert.That(inc, Does.Contain("path_prefix: data/shopify/customers.csv").And.Contain("incremental_columns: [updated_at]").And.Contain("mode: append"));
        var hist = project.Files.Single(f => f.RelativePath == "config/shopify_customers_hist_load.yml").Content;
        Assert.That(hist, Does.Contain("path_prefix: data/shopify/customers_history.csv").And.Contain("mode: replace").And.Not.Contain("incremental"));
    }

    [Test]
    public void TreasureDataTargetRendersPrestoOrHiveQuotingAndTheEngine()
    {
        var spec = Sample.Spec();
        var presto = spec with { Settings = spec.Settings with { Target = TargetKind.TreasureData, Engine = SqlEngine.Presto } };
        // A hive project names the Hive version of each TransformSql; the sample ships sql/web_signups.hive.sql for it.
        var hive = spec with
        {
            Settings = spec.Settings with { Target = TargetKind.TreasureData, Engine = SqlEngine.Hive },
            Staging = spec.Staging.Select(s => s.TransformSql.Length == 0 ? s : s with { TransformHiveSql = s.TransformSql[..^4] + ".hive.sql" }).ToList(),
        };

        var prestoSql = WorkflowGenerator.Generate(presto, Phase.Staging).Files.Single(f => f.RelativePath == "queries/shopify_customers_transform.sql").Content;
        var hiveSql = WorkflowGenerator.Generate(hive, Phase.Staging).Files.Single(f => f.RelativePath == "queries/shopify_customers_transform.sql").Content;
        Assert.That(prestoSql, Does.Contain("CAST(t.\"email\" AS VARCHAR)").And.Contain("FROM \"retail_src\".\"shopify_customers_hist_union\" t"));
        Assert.That(hiveSql, Does.Contain("CAST(t.`email` AS STRING)").And.Contain("FROM `retail_src`.`shopify_customers_hist_union` t"));
        Assert.That(WorkflowGenerator.Generate(hive, Phase.Staging).Files.Single(f => f.RelativePath == "transform_shopify.dig").Content, Does.Contain("engine: hive"));
    }

    [Test]
    public void UnifyYmlFollowsTdSchema()
    {
        var project = WorkflowGenerator.Generate(Sample.Spec(), Phase.Unification);
        Assert.That(project.Workflows, Is.EqualTo(new[] { "unif_runner" }));
        var yml = project.Files.Single(f => f.RelativePath == "config/unify.yml").Content;
        Assert.That(yml, Does.Contain("name: customer_360")
            .And.Contain("valid_regexp: '^[0-9]{10,15}$'")
            .And.Contain("invalid_texts: ['', test@example.com, none@none.com]")
            .And.Contain("- {column: standardized_mobile, key: phone}")
            .And.Contain("persistent_ids:\n  - name: td_id\n    merge_by_keys: [email, phone, td_client_id]\n    merge_iterations: 3\n    incremental_merge_iterations: 2"));
        Assert.That(yml, Does.Contain("master_tables:\n  - name: customer_360_master\n    persistent_id: td_id\n    attributes:\n      - name: email\n")
            .And.Contain("      - name: phones\n        array_elements: 2\n        source_columns:\n          - {table: pos_members, column: standardized_mobile, priority: 1, order: last, order_by: updated_at}"));
        var runner = project.Files.Single(f => f.RelativePath == "id_unification.dig").Content;
        Assert.That(runner, Does.Contain("http_call>: ${unification_endpoint}/unifications/workflow_call").And.Contain("!include : config/unify.yml"));
    }

    [Test]
    public void ExpectedTablesNameEveryPhaseOutput()
    {
        var spec = Sample.Spec();
        Assert.That(PhaseTables.Expected(spec, Phase.Ingestion), Does.Contain(("retail_src", "shopify_customers_hist")).And.Contain(("retail_src", "ingestion_log")).And.Contain(("retail_src", "web_signups")));
        Assert.That(PhaseTables.Expected(spec, Phase.HistUnion), Has.Count.EqualTo(4).And.Contain(("retail_src", "pos_members_hist_union")));
        Assert.That(PhaseTables.Expected(spec, Phase.Staging), Has.Count.EqualTo(4).And.Contain(("retail_stg", "shopify_orders")));
        Assert.That(PhaseTables.Expected(spec, Phase.Unification),
            Is.EquivalentTo(new[] { "enriched_shopify_customers", "enriched_shopify_orders", "enriched_pos_members", "enriched_web_signups", "td_id_lookup", "td_id_result_key_stats" }
                .Select(t => ("cdp_unification_customer_360", t))));
    }
}

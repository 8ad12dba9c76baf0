using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Generation.Tests;

/// <summary>One model, three dialects; no name can change what a query does.</summary>
public sealed class SqlTests
{
    [TestCase("a\"; DROP TABLE x; --")]
    [TestCase("a`b")]
    [TestCase("db.table")]
    [TestCase("")]
    [TestCase("name with space")]
    public void NamesThatCouldInjectSqlAreRefusedByEveryDialect(string name)
    {
        foreach (var dialect in new[] { SqlDialects.Presto, SqlDialects.Hive })
        {
            var e = Assert.Throws<CdpException>(() => dialect.Quote(name));
            Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP1010"));
        }
    }

    [Test]
    public void EachDialectQuotesAndCastsItsOwnWay()
    {
        Assert.Multiple(() =>
        {
            Assert.That(SqlDialects.Presto.AsText(SqlDialects.Presto.Quote("time")), Is.EqualTo("CAST(\"time\" AS VARCHAR)"));
            Assert.That(SqlDialects.Hive.AsText(SqlDialects.Hive.Quote("time")), Is.EqualTo("CAST(`time` AS STRING)"));
            Assert.That(SqlDialects.Hive.Literal("it's"), Is.EqualTo("'it''s'"));
        });
    }

    [Test]
    public void TheEngineSettingPicksTheDialectOnTreasureDataAndLocalAlwaysRunsPresto()
    {
        string Sql(string dialect) => WorkflowGenerator.Generate(RetailSpecs.For(dialect), Phase.Staging).Files.Single(f => f.RelativePath == "queries/pos_members_transform.sql").Content;
        Assert.Multiple(() =>
        {
            Assert.That(Sql("presto"), Does.Contain("FROM \"retail_src\".\"pos_members_hist_union\" t").And.Contain("AS VARCHAR"));
            Assert.That(Sql("hive"), Does.Contain("FROM `retail_src`.`pos_members_hist_union` t").And.Contain("AS STRING"));
            Assert.That(Sql("local"), Is.EqualTo(Sql("presto")), "the SQL that runs locally is the SQL TD runs");
            Assert.That(WorkflowGenerator.Generate(RetailSpecs.For("local", (_, p) => p["CdpSqlEngine"] = new RawProperty("CdpSqlEngine", "hive", CdpSdk.Core.Diagnostics.SourceLocation.None)), Phase.Staging).Files.Single(f => f.RelativePath == "queries/pos_members_transform.sql").Content,
                Is.EqualTo(Sql("presto")), "a hive project still runs its Presto rendering on Local");
        });
    }

    [Test]
    public void HistUnionOfAOneSidedTableReadsOnlyThatSide()
    {
        var spec = RetailSpecs.For("presto", (items, _) =>
        {
            var pos = items.Single(i => i.ItemType == "CdpSource" && i.Identity == "pos");
            items[items.IndexOf(pos)] = pos with { Metadata = new Dictionary<string, string>(pos.Metadata) { ["Mode"] = "historical" } };
        });
        var files = WorkflowGenerator.Generate(spec, Phase.HistUnion).Files.ToDictionary(f => f.RelativePath, f => f.Content);
        Assert.Multiple(() =>
        {
            Assert.That(files["queries/pos_members_union.sql"], Does.Contain("\"pos_members_hist\"").And.Not.Contain("\"pos_members\" ").And.Not.Contain("UNION ALL"));
            Assert.That(files["queries/web_signups_union.sql"], Does.Contain("\"web_signups\"").And.Not.Contain("_hist\"").And.Not.Contain("UNION ALL"));
            Assert.That(files["queries/shopify_customers_union.sql"], Does.Contain("UNION ALL").And.Contain("\"shopify_customers_hist\""));
        });
    }

    [Test]
    public void UnifyYmlFollowsTdsSchema()
    {
        var yml = WorkflowGenerator.Generate(RetailSpecs.For("presto"), Phase.Unification).Files.Single(f => f.RelativePath == "config/unify.yml").Content;
        Assert.That(yml, Does.Contain("name: customer_360\n\nkeys:\n  - name: email\n    valid_regexp: '.*@.*'\n    invalid_texts: ['', test@example.com, none@none.com]\n")
            .And.Contain("  - database: retail_stg\n    table: web_signups\n    incremental_columns: [event_time]\n    key_columns:\n      - {column: cleaned_email, key: email}\n      - {column: td_client_id, key: td_client_id}\n")
            .And.Contain("persistent_ids:\n  - name: td_id\n    merge_by_keys: [email, phone, td_client_id]\n    merge_iterations: 3\n    incremental_merge_iterations: 2\n"));
    }

    [Test]
    public void CanonicalIdsRunOnlyTheCanonicalIdAndTheEnrichmentReadsItsLookupColumn()
    {
        var spec = Variants.All().Single(v => v.Name.StartsWith("canonical")).Spec;
        var files = WorkflowGenerator.Generate(spec, Phase.Unification).Files.ToDictionary(f => f.RelativePath, f => f.Content);
        Assert.Multiple(() =>
        {
            Assert.That(files["config/unify.yml"], Does.Contain("canonical_ids:\n  - name: cid\n"));
            Assert.That(files["id_unification.dig"], Does.Contain("run_canonical_ids: true").And.Not.Contain("run_persistent_ids").And.Contain("full_refresh: true"));
            Assert.That(files["enrich/queries/pos_members_enrich.sql"], Does.Contain("l.\"canonical_id\" AS \"id_value\"").And.Contain("\"cid_lookup\""));
        });
    }
}

/// <summary>The SQL engine shapes every phase's queries, so it is part of every phase's configuration hash on TD.</summary>
public sealed class EngineHashTests
{
    [Test]
    public void TheHiveRenderingEmbedsTheHiveTransformAndEveryOtherThePrestoOne()
    {
        static string Transform(PipelineSpec spec) => WorkflowGenerator.Generate(spec, Phase.Staging).Files.Single(f => f.RelativePath == "queries/web_signups_transform.sql").Content;
        var hive = Transform(RetailSpecs.For("hive"));
        var localHive = Transform(RetailSpecs.For("local", (_, p) => Engine(p, "hive")));
        Assert.Multiple(() =>
        {
            Assert.That(hive, Does.Contain("-- Then the user's transform sql/web_signups.hive.sql").And.Contain("IF(`cleaned_email` IS NULL, 0, 1) AS `has_email`").And.Not.Contain("CASE WHEN"));
            foreach (var presto in new[] { Transform(RetailSpecs.For("presto")), Transform(RetailSpecs.For("local")), localHive })
                Assert.That(presto, Does.Contain("-- Then the user's transform sql/web_signups.sql").And.Contain("CASE WHEN cleaned_email IS NULL THEN 0 ELSE 1 END AS has_email").And.Not.Contain("IF(`"));
        });
    }

    [Test]
    public void AHiveRenderingWithoutTheHiveTransformIsRefusedRatherThanGivenThePrestoText()
    {
        var spec = RetailSpecs.For("hive");
        spec = spec with { Staging = spec.Staging.Select(s => s with { TransformHiveSql = "" }).ToList() };
        var refused = Assert.Throws<CdpException>(() => WorkflowGenerator.Generate(spec, Phase.Staging));
        Assert.That(refused!.Diagnostic.Code, Is.EqualTo("CDP0106"));
        Assert.That(refused.Message, Does.Contain("web_signups").And.Contain("TransformHiveSql"));
    }

    static void Engine(Dictionary<string, RawProperty> p, string engine) =>
        p["CdpSqlEngine"] = new RawProperty("CdpSqlEngine", engine, CdpSdk.Core.Diagnostics.SourceLocation.None);

    [Test]
    public void ChangingTheEngineOnTreasureDataRegeneratesEveryPhase()
    {
        var presto = RetailSpecs.For("presto");
        var hive = RetailSpecs.For("presto", (_, p) => Engine(p, "hive"));
        foreach (var phase in PhaseOrder.All)
            Assert.That(CdpSdk.Core.Hashing.PhaseConfiguration.Hash(hive, phase, "1"), Is.Not.EqualTo(CdpSdk.Core.Hashing.PhaseConfiguration.Hash(presto, phase, "1")), phase.ToString());
    }

    [Test]
    public void TheEngineDoesNotMatterOnLocal()
    {
        var local = RetailSpecs.For("local");
        var hive = RetailSpecs.For("local", (_, p) => Engine(p, "hive"));
        foreach (var phase in PhaseOrder.All)
            Assert.That(CdpSdk.Core.Hashing.PhaseConfiguration.Hash(hive, phase, "1"), Is.EqualTo(CdpSdk.Core.Hashing.PhaseConfiguration.Hash(local, phase, "1")), phase.ToString());
    }
}

using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>Each phase's generated project runs on the Local backend against the retail sample data.</summary>
public sealed class PipelineRunTests
{
    RetailSample _sample = null!;

    [SetUp]
    public void SetUp() => _sample = new RetailSample();

    [TearDown]
    public void TearDown() => _sample.Dispose();

    [Test]
    public async Task EveryPhaseLeavesItsExpectedTables()
    {
        var spec = _sample.Spec();
        using var backend = _sample.Backend(spec);
        foreach (var phase in PhaseOrder.All)
        {
            await _sample.RunPhase(spec, phase, backend);
            foreach (var (database, table) in PhaseTables.Expected(spec, phase))
            {
                var tables = await backend.ListTablesAsync(database, CancellationToken.None);
                Assert.That(tables.Select(t => t.Name), Does.Contain(table), $"{phase} should leave {database}.{table}");
                Assert.That(tables.Single(t => t.Name == table).Rows, Is.GreaterThan(0), $"{database}.{table} is empty");
            }
        }
    }

    [Test]
    public async Task IngestionLoadsEveryRowAndLogsEachLoad()
    {
        var spec = _sample.Spec();
        using var backend = _sample.Backend(spec);
        await _sample.RunPhase(spec, Phase.Ingestion, backend);

        Assert.Multiple(async () =>
        {
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers_hist"), Is.EqualTo(30));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers"), Is.EqualTo(18));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_orders_hist"), Is.EqualTo(40));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_orders"), Is.EqualTo(20));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(30));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM web_signups"), Is.EqualTo(36));
            // One log row per load: 2 objects × (hist + inc) for shopify, one each for pos and web.
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM ingestion_log WHERE status = 'success'"), Is.EqualTo(6));
            Assert.That(await RetailSample.Count(backend, "retail_src",
                "SELECT records_loaded FROM ingestion_log WHERE table_name = 'shopify_customers_hist'"), Is.EqualTo(30));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT min(\"time\") FROM ingestion_log"),
                Is.EqualTo(RetailSample.SessionTime.ToUnixTimeSeconds()));
        });
    }

    [Test]
    public async Task HistUnionKeepsOnlyTheLatestRowPerKey()
    {
        var spec = _sample.Spec();
        using var backend = _sample.Backend(spec);
        await _sample.RunPhase(spec, Phase.Ingestion, backend);
        await _sample.RunPhase(spec, Phase.HistUnion, backend);

        Assert.Multiple(async () =>
        {
            // 30 historical + 10 new customers; the 8 updated ones appear once, in their incremental version.
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers_hist_union"), Is.EqualTo(40));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(DISTINCT id) FROM shopify_customers_hist_union"), Is.EqualTo(40));
            Assert.That(await RetailSample.Count(backend, "retail_src",
                "SELECT count(*) FROM shopify_customers_hist_union WHERE last_name LIKE '%-Updated'"), Is.EqualTo(8));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_orders_hist_union"), Is.EqualTo(54));
            // Only an incremental side: still one row per key.
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members_hist_union"), Is.EqualTo(30));
        });
    }

    [Test]
    public async Task StagingCleansEmailsPhonesAndTimestamps()
    {
        var spec = _sample.Spec();
        using var backend = _sample.Backend(spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await _sample.RunPhase(spec, phase, backend);

        var row = await backend.QueryAsync("retail_stg",
            "SELECT cleaned_email, standardized_phone, standardized_created_at FROM shopify_customers WHERE id = 1003", CancellationToken.None);
        Assert.Multiple(async () =>
        {
            Assert.That(row.Rows[0], Is.EqualTo(new object?[] { "carol.brown@example.org", "5551015838", "2023-03-02T23:02:00Z" }));
            Assert.That(await RetailSample.Count(backend, "retail_stg",
                "SELECT count(*) FROM shopify_customers WHERE cleaned_email <> lower(trim(cleaned_email))"), Is.Zero);
            Assert.That(await RetailSample.Count(backend, "retail_stg",
                "SELECT count(*) FROM shopify_customers WHERE standardized_created_at IS NULL"), Is.Zero);
            Assert.That(await RetailSample.Count(backend, "retail_stg", "SELECT count(*) FROM web_signups"), Is.EqualTo(36));
        });
    }

    [Test]
    public async Task UnificationGivesEveryKeyedRowAnIdAndLinksSourcesTransitively()
    {
        var spec = _sample.Spec();
        using var backend = _sample.Backend(spec);
        await _sample.RunAll(spec, backend);
        const string db = "cdp_unification_customer_360";

        Assert.Multiple(async () =>
        {
            Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM enriched_shopify_customers"), Is.EqualTo(40));
            // 1029 has no key at all, 1028's email is an invalid text but its phone is valid.
            Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM enriched_shopify_customers WHERE td_id IS NULL"), Is.EqualTo(1));
            Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM enriched_shopify_customers WHERE id = 1028 AND td_id IS NOT NULL"), Is.EqualTo(1));
            // dan@work.example.net signs up on the web; only the POS member's phone ties it to Shopify customer 1004.
            Assert.That(await RetailSample.Count(backend, db, """
                SELECT count(*) FROM enriched_web_signups w JOIN enriched_shopify_customers c ON c.td_id = w.td_id
                WHERE w.cleaned_email = 'dan@work.example.net' AND c.id = 1004
                """), Is.GreaterThan(0));
            Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_lookup WHERE key_value IN ('test@example.com', 'none@none.com', '0000000000')"), Is.Zero);
            Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_result_key_stats WHERE from_table = '*'"), Is.EqualTo(1));
            // The sample's CdpMinIdCoverage is 90: its data must pass Validate's coverage check.
            Assert.That(await RetailSample.Count(backend, db, "SELECT 1000 * rows_with_id / total_rows FROM td_id_result_key_stats WHERE from_table = '*'"),
                Is.GreaterThanOrEqualTo(900));
        });
    }
}

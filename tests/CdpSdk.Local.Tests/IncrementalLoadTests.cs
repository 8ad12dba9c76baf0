using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

public sealed class IncrementalLoadTests : RetailSampleTest
{
    [Test]
    public async Task ANewSessionLoadsOnlyRowsNewerThanTheWatermark()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime);
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime.AddDays(1));

        var increments = Sample.Rows("data/shopify/customers.csv").Count;
        var history = Sample.Rows("data/shopify/customers_history.csv");
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers"), Is.EqualTo(increments), "nothing new, nothing added");
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers_hist"), Is.EqualTo(history.Count), "history is replaced, not appended");
        Assert.That(await RetailSample.Count(backend, "retail_src",
            $"SELECT sum(records_loaded) FROM ingestion_log WHERE \"time\" = {RetailSample.SessionTime.AddDays(1).ToUnixTimeSeconds()} AND table_name = 'shopify_customers'"), Is.Zero);

        var c = history[0];
        File.AppendAllText(Path.Combine(Sample.Root, "data", "shopify", "customers.csv"),
            $"{c["id"]},{c["email"]},{c["phone"]},{c["first_name"]},Smith-Again,{c["created_at"]},2024-05-02 00:00:00\n");
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime.AddDays(2));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers"), Is.EqualTo(increments + 1));

        await Sample.RunPhase(spec, Phase.HistUnion, backend, RetailSample.SessionTime.AddDays(2));
        var latest = await backend.QueryAsync("retail_src", $"SELECT last_name FROM shopify_customers_hist_union WHERE id = {c["id"]}", CancellationToken.None);
        Assert.That(latest.Rows.Select(r => r[0]), Is.EqualTo(new object?[] { "Smith-Again" }));
    }

    [Test]
    public async Task RowsBeforeTheStartDateAreNotLoaded()
    {
        var spec = Sample.Spec((items, _) =>
        {
            var shopify = items.Single(i => i.ItemType == "CdpSource" && i.Identity == "shopify");
            var metadata = shopify.Metadata.ToDictionary(kv => kv.Key, kv => kv.Value);
            metadata["StartDate"] = "2024-04-01T00:00:00.000000";
            items[items.IndexOf(shopify)] = shopify with { Metadata = metadata };
        });
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);

        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers WHERE updated_at < '2024-04-01'"), Is.Zero);
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM shopify_customers"), Is.GreaterThan(0));
    }
}

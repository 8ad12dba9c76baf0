using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>Each phase's generated project runs on the Local backend against the retail sample data.</summary>
public sealed class PipelineRunTests : RetailSampleTest
{
    [Test]
    public async Task EveryPhaseLeavesItsExpectedTables()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        foreach (var phase in PhaseOrder.All)
        {
            await Sample.RunPhase(spec, phase, backend);
            foreach (var (database, table) in PhaseTables.Expected(spec, phase))
            {
                var tables = await backend.ListTablesAsync(database, CancellationToken.None);
                Assert.That(tables.Select(t => t.Name), Does.Contain(table), $"{phase} should leave {database}.{table}");
                Assert.That(tables.Single(t => t.Name == table).Rows, Is.GreaterThan(0), $"{database}.{table} is empty");
            }
        }
    }

    // Loaded table → the sample file it comes from, and the key hist-union keeps one row per.
    static readonly (string Table, string File, string Key)[] Loads =
    [
        ("shopify_customers_hist", "data/shopify/customers_history.csv", "id"),
        ("shopify_customers", "data/shopify/customers.csv", "id"),
        ("shopify_orders_hist", "data/shopify/orders_history.csv", "id"),
        ("shopify_orders", "data/shopify/orders.csv", "id"),
        ("pos_members", "data/pos/members.csv", "member_id"),
        ("web_signups", "data/web/signups.csv", "event_id"),
    ];

    /// <summary>Rows per hist-union (and so staging and enriched) table: one per key over history and increments.</summary>
    Dictionary<string, long> Unioned() => Loads.GroupBy(l => l.Table.Replace("_hist", ""))
        .ToDictionary(g => g.Key, g => SampleData.DistinctKeys(g.SelectMany(l => Sample.Rows(l.File)), g.First().Key));

    [Test]
    public async Task IngestionLoadsEveryRowAndLogsEachLoad()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);

        foreach (var (table, file, _) in Loads)
        {
            var rows = Sample.Rows(file).Count;
            Assert.That(await RetailSample.Count(backend, "retail_src", $"SELECT count(*) FROM {table}"), Is.EqualTo(rows), table);
            Assert.That(await RetailSample.Count(backend, "retail_src", $"SELECT records_loaded FROM ingestion_log WHERE table_name = '{table}'"), Is.EqualTo(rows), table);
        }
        // One log row per load: 2 objects × (hist + inc) for shopify, one each for pos and web.
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM ingestion_log WHERE status = 'success'"), Is.EqualTo(6));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT min(\"time\") FROM ingestion_log"), Is.EqualTo(RetailSample.SessionTime.ToUnixTimeSeconds()));
    }

    [Test]
    public async Task HistUnionKeepsOnlyTheLatestRowPerKey()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);
        await Sample.RunPhase(spec, Phase.HistUnion, backend);

        foreach (var (table, rows) in Unioned())
        {
            Assert.That(await RetailSample.Count(backend, "retail_src", $"SELECT count(*) FROM {table}_hist_union"), Is.EqualTo(rows), table);
        }
        // A customer in both files appears once, in its incremental (later) version.
        var updated = Sample.Rows("data/shopify/customers.csv").First(r => Sample.Rows("data/shopify/customers_history.csv").Any(h => h["id"] == r["id"]));
        var kept = await backend.QueryAsync("retail_src", $"SELECT last_name, updated_at FROM shopify_customers_hist_union WHERE id = {updated["id"]}", CancellationToken.None);
        Assert.That(kept.Rows.Single(), Is.EqualTo(new object?[] { updated["last_name"], updated["updated_at"] }));
    }

    [Test]
    public async Task StagingCleansEmailsPhonesAndTimestamps()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await Sample.RunPhase(spec, phase, backend);

        var raw = Sample.Rows("data/pos/members.csv");
        var staged = (await backend.QueryAsync("retail_stg", "SELECT member_id, cleaned_email, standardized_mobile FROM pos_members", CancellationToken.None)).Rows
            .ToDictionary(r => (string)r[0]!);
        Assert.That(staged, Has.Count.EqualTo(raw.Count));
        foreach (var row in raw)
        {
            var email = row["email"].Trim().ToLowerInvariant();
            Assert.That(staged[row["member_id"]][1], Is.EqualTo(email.Length == 0 ? null : email), row["email"]);
            Assert.That(staged[row["member_id"]][2], Is.EqualTo(new string(row["mobile"].Where(char.IsAsciiDigit).ToArray())), row["mobile"]);
        }
        Assert.That(await RetailSample.Count(backend, "retail_stg", "SELECT count(*) FROM shopify_customers WHERE standardized_created_at IS NULL"), Is.Zero);
        foreach (var (table, rows) in Unioned())
            Assert.That(await RetailSample.Count(backend, "retail_stg", $"SELECT count(*) FROM {table}"), Is.EqualTo(rows), table);
    }

    [Test]
    public async Task UnificationFindsEveryPersonOfTheGeneratedTruthExactly()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunAll(spec, backend);
        const string db = "cdp_unification_customer_360";
        var truth = SampleData.Truth(RetailSample.RepositoryRoot);

        var records = new List<(string Predicted, string Person)>();
        foreach (var (table, rows) in Unioned())
        {
            var key = Loads.First(l => l.Table == table).Key;
            var enriched = (await backend.QueryAsync(db, $"SELECT CAST({key} AS TEXT), td_id FROM enriched_{table}", CancellationToken.None)).Rows;
            Assert.That(enriched, Has.Count.EqualTo(rows), table);
            var withId = enriched.Count(r => r[1] is not null);
            Assert.That((double)withId / enriched.Count, Is.GreaterThanOrEqualTo(0.99), $"{table}: share of rows with an id");
            records.AddRange(enriched.Where(r => r[1] is not null).Select(r => ((string)r[1]!, truth[(table, (string)r[0]!)])));
        }
        var (precision, recall) = SampleData.PairScores(records);
        Assert.That(precision, Is.EqualTo(1.0), "no two people share an id");
        Assert.That(recall, Is.EqualTo(1.0), "every person's records share one id");
        Assert.That(records.Select(r => r.Predicted).Distinct().Count(), Is.EqualTo(records.Select(r => r.Person).Distinct().Count()));
        Assert.That(Sample.Log.Diagnostics.Where(d => d.Code == "CDP5200"), Is.Empty, "the sample's MergeIterations must be enough for TD");

        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_lookup WHERE key_value IN ('test@example.com', 'none@none.com', '0000000000')"), Is.Zero);
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_result_key_stats WHERE from_table = '*'"), Is.EqualTo(1));
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_graph"), Is.EqualTo(await RetailSample.Count(backend, db, "SELECT count(*) FROM td_id_lookup")));
    }

    [Test]
    public async Task TheMasterTableHasOneRowPerIdWithItsBestAttributes()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunAll(spec, backend);
        const string db = "cdp_unification_customer_360";

        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM customer_360_master"),
            Is.EqualTo(await RetailSample.Count(backend, db, "SELECT count(DISTINCT id) FROM td_id_lookup")));
        // A Shopify customer's email (priority 1) wins over what the same person gave at the till.
        var row = (await backend.QueryAsync(db, """
            SELECT m.email, c.cleaned_email FROM customer_360_master m
            JOIN enriched_shopify_customers c ON c.td_id = m.td_id
            JOIN enriched_pos_members p ON p.td_id = m.td_id AND p.cleaned_email <> c.cleaned_email
            LIMIT 1
            """, CancellationToken.None)).Rows.Single();
        Assert.That(row[0], Is.EqualTo(row[1]));
        var phones = (await backend.QueryAsync(db, "SELECT phones FROM customer_360_master WHERE phones IS NOT NULL", CancellationToken.None)).Rows;
        Assert.That(phones.Select(r => System.Text.Json.JsonSerializer.Deserialize<string[]>((string)r[0]!)!.Length), Has.All.InRange(1, 2));
    }
}

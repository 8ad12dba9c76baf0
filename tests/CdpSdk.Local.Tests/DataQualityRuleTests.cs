using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using CdpSdk.Core.Validation;
using CdpSdk.Local;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Every rule against the retail sample in a real DuckDB warehouse: it passes on the sample's clean
/// tables, and catches a defect seeded into a copy of the table (count and sample of the bad rows).
/// </summary>
[NonParallelizable]
public sealed class DataQualityRuleTests
{
    const string Stg = "retail_stg", Src = "retail_src", Uni = "cdp_unification_customer_360";
    static readonly DateTimeOffset Now = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);
    static readonly IReadOnlyDictionary<string, long> NoHistory = new Dictionary<string, long>();

    RetailSample _sample = null!;
    LocalBackend _backend = null!;

    [OneTimeSetUp]
    public async Task RunTheSamplePipeline()
    {
        _sample = new RetailSample();
        var spec = _sample.Spec();
        _backend = _sample.Backend(spec);
        await _sample.RunAll(spec, _backend);
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        _backend.Dispose();
        _sample.Dispose();
    }

    [Test]
    public async Task NotNullCatchesAMissingValue()
    {
        var check = Check(CheckRule.NotNull, Stg, "shopify_customers", "id");
        await AssertPasses(check);
        var email = (await _backend.QueryAsync(Stg, "SELECT cleaned_email FROM shopify_customers WHERE id = 1003", CancellationToken.None)).Scalar;
        var copy = await CopyWith(Stg, "shopify_customers", "UPDATE {0} SET id = NULL WHERE id = 1003");
        var failed = await AssertFails(check with { Table = copy }, 1);
        Assert.That(failed.SampleRows.Single()[failed.SampleColumns.ToList().IndexOf("cleaned_email")], Is.EqualTo(email), "the sample shows the failing row");
    }

    [Test]
    public async Task UniqueCatchesADuplicate()
    {
        var check = Check(CheckRule.Unique, Stg, "shopify_customers", "id");
        await AssertPasses(check);
        var copy = await CopyWith(Stg, "shopify_customers", "UPDATE {0} SET id = 1001 WHERE id IN (1002, 1003)");
        var failed = await AssertFails(check with { Table = copy }, 1);
        Assert.That(failed.SampleRows.Single(), Is.EqualTo(new[] { "1001", "3" }));
    }

    [Test]
    public async Task AcceptedValuesCatchesAnUnexpectedValue()
    {
        var check = Check(CheckRule.AcceptedValues, Src, "ingestion_log", "status") with { Values = ["success"] };
        await AssertPasses(check);
        var copy = await CopyWith(Src, "ingestion_log", "UPDATE {0} SET status = 'partial' WHERE table_name = 'pos_members'");
        var failed = await AssertFails(check with { Table = copy }, 1);
        Assert.That(failed.SampleRows.Single(), Does.Contain("partial"));
    }

    [Test]
    public async Task RelationshipsCatchesAnOrphan()
    {
        var check = Check(CheckRule.Relationships, Uni, "enriched_shopify_customers", "td_id") with { ToDatabase = Uni, ToTable = "td_id_lookup", Field = "id" };
        await AssertPasses(check);
        var copy = await CopyWith(Uni, "enriched_shopify_customers", "UPDATE {0} SET td_id = 'nobody' WHERE id = 1001");
        var failed = await AssertFails(check with { Table = copy }, 1);
        Assert.That(failed.SampleRows.Single(), Does.Contain("nobody"));
    }

    [Test]
    public async Task RangeCatchesAnOutOfRangeValue()
    {
        var check = Check(CheckRule.Range, Stg, "shopify_orders", "amount") with { Min = 0, Max = 100_000 };
        await AssertPasses(check);
        var copy = await CopyWith(Stg, "shopify_orders", "UPDATE {0} SET amount = -5 WHERE id = 5002");
        var failed = await AssertFails(check with { Table = copy }, 1);
        Assert.That(failed.SampleRows.Single(), Does.Contain("-5"));
    }

    [Test]
    public async Task FreshnessCatchesUnparseableFutureAndStaleTimestamps()
    {
        var check = Check(CheckRule.Freshness, Stg, "web_signups", "standardized_event_time") with { MaxAge = TimeSpan.FromDays(365) };
        await AssertPasses(check);
        var copy = await CopyWith(Stg, "web_signups",
            "UPDATE {0} SET standardized_event_time = 'soon' WHERE event_id = 'E9001'; UPDATE {0} SET standardized_event_time = '2999-01-01T00:00:00Z' WHERE event_id = 'E9002'");
        var failed = await AssertFails(check with { Table = copy }, 2);
        Assert.That(failed.SampleRows.Select(r => r[1]), Is.EquivalentTo(new[] { "not a timestamp", "in the future" }));

        // The same clean table two years later: the newest signup is older than allowed.
        var stale = await new CheckRunner(_backend, SqlDialects.Presto, new FixedClock(Now.AddYears(2)), CancellationToken.None).RunAsync(check, false, NoHistory);
        Assert.That((stale.Status, stale.Failures), Is.EqualTo((CheckStatus.Fail, 1L)), stale.Message);
        Assert.That(stale.SampleRows.Single()[1], Does.StartWith("newest value older than 365d"));
    }

    [Test]
    public async Task CompletenessCatchesTooManyBlanks()
    {
        var check = Check(CheckRule.Completeness, Stg, "pos_members", "cleaned_email") with { Min = 90 };
        var passed = await AssertPasses(check);
        var members = _sample.Rows("data/pos/members.csv");
        Assert.That(passed.Message, Does.Contain($"of {members.Count} rows"));
        var blanks = await RetailSample.Count(_backend, Stg, "SELECT count(*) FROM pos_members WHERE rowid % 2 = 0 OR cleaned_email IS NULL OR trim(cleaned_email) = ''");
        var copy = await CopyWith(Stg, "pos_members", "UPDATE {0} SET cleaned_email = '  ' WHERE rowid % 2 = 0");
        var failed = await AssertFails(check with { Table = copy }, blanks);
        Assert.That(failed.Message, Does.Contain("at least 90% required"));
    }

    [Test]
    public async Task SchemaCatchesAMissingColumnAndAValueOfTheWrongType()
    {
        var check = Check(CheckRule.Schema, Uni, "enriched_shopify_customers", "id", "td_id", "cleaned_email") with
        {
            ColumnTypes = new Dictionary<string, string> { ["id"] = "integer", ["td_id"] = "string" },
        };
        await AssertPasses(check);
        var copy = await CopyWith(Uni, "enriched_shopify_customers", "ALTER TABLE {0} ALTER COLUMN id TYPE VARCHAR; UPDATE {0} SET id = 'A-1001' WHERE id = '1001'; DELETE FROM {0} WHERE id <> 'A-1001'");
        var failed = await AssertFails(check with { Table = copy, Columns = [.. check.Columns, "loyalty_tier"] }, 2);
        Assert.That(failed.Message, Does.Contain("missing column loyalty_tier").And.Contain("1 value(s) of the wrong type"));
        Assert.That(failed.SampleRows.Select(r => r[0]), Is.EquivalentTo(new[] { "loyalty_tier", "id" }));
    }

    [Test]
    public async Task RowCountChangeComparesWithTheLastSuccessfulRun()
    {
        var check = Check(CheckRule.RowCountChange, Stg, "pos_members", "") with { Columns = [], Max = 20, Severity = CheckSeverity.Warn };
        var runner = Runner();
        Assert.That((await runner.RunAsync(check, false, NoHistory)).Status, Is.EqualTo(CheckStatus.Pass), "nothing to compare with on a first run");
        long rows = _sample.Rows("data/pos/members.csv").Count;
        Assert.That((await runner.RunAsync(check, false, History("retail_stg.pos_members", rows * 9 / 10))).Status, Is.EqualTo(CheckStatus.Pass), "about +11% is within 20%");

        var warned = await runner.RunAsync(check, false, History("retail_stg.pos_members", rows * 2));
        Assert.That((warned.Status, warned.Failures), Is.EqualTo((CheckStatus.Warn, rows)), warned.Message);
        Assert.That(warned.SampleRows.Single(), Is.EqualTo(new[] { $"{rows * 2}", $"{rows}", "50" }));
        Assert.That((await runner.RunAsync(check, warningsAsErrors: true, History("retail_stg.pos_members", rows * 2))).Status, Is.EqualTo(CheckStatus.Fail));
    }

    [Test]
    public async Task ACheckThatCannotRunIsAnErrorNotAPass()
    {
        var result = await Runner().RunAsync(Check(CheckRule.NotNull, Stg, "pos_members", "loyalty_tier"), false, NoHistory);
        Assert.That(result.Status, Is.EqualTo(CheckStatus.Error));
        Assert.That(result.Message, Does.Contain("loyalty_tier"));
    }

    CheckRunner Runner() => new(_backend, SqlDialects.Presto, new FixedClock(Now), CancellationToken.None);

    async Task<CheckResult> AssertPasses(CheckSpec check)
    {
        var result = await Runner().RunAsync(check, false, NoHistory);
        Assert.That((result.Status, result.Failures), Is.EqualTo((CheckStatus.Pass, 0L)), $"{check.RuleName} on clean data: {result.Message}\n{result.Sql}");
        return result;
    }

    async Task<CheckResult> AssertFails(CheckSpec check, long failures)
    {
        var result = await Runner().RunAsync(check, false, NoHistory);
        Assert.That((result.Status, result.Failures), Is.EqualTo((CheckStatus.Fail, failures)), $"{check.RuleName} on seeded data: {result.Message}\n{result.Sql}");
        Assert.That(result.SampleRows, Is.Not.Empty.And.Count.LessThanOrEqualTo(CheckRunner.SampleSize));
        return result;
    }

    /// <summary>A copy of the table with a defect seeded by <paramref name="defect"/> ({0} is the copy).</summary>
    async Task<string> CopyWith(string database, string table, string defect)
    {
        var copy = "dq_" + Guid.NewGuid().ToString("N")[..8];
        var target = $"\"{database}\".\"{copy}\"";
        await _backend.QueryAsync(database, $"CREATE TABLE {target} AS SELECT * FROM \"{database}\".\"{table}\"", CancellationToken.None);
        foreach (var statement in string.Format(defect, target).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            await _backend.QueryAsync(database, statement, CancellationToken.None);
        return copy;
    }

    static CheckSpec Check(CheckRule rule, string database, string table, params string[] columns) =>
        new()
        {
            Name = $"{CheckRules.Name(rule)}_check", Phase = Phase.Staging, Rule = rule, Database = database, Table = table, Columns = columns,
            Severity = CheckSeverity.Error, At = new SourceLocation("test.cdpproj", 1, 1),
        };

    static IReadOnlyDictionary<string, long> History(string table, long rows) => new Dictionary<string, long> { [table] = rows };

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

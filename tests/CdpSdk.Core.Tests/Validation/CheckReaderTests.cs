using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using CdpSdk.Core.Tests.Configuration;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Tests.Validation;

/// <summary>CdpCheck items become CheckSpecs with the phase's database, defaults and parsed bounds; their SQL suits each engine.</summary>
public sealed class CheckReaderTests
{
    SampleFolder _folder = null!;

    [SetUp] public void CreateFolder() => _folder = new SampleFolder();
    [TearDown] public void DeleteFolder() => _folder.Dispose();

    [Test]
    public void ChecksGetTheirPhasesDatabaseAndDefaults()
    {
        var result = _folder.Retail()
            .Item("CdpCheck", "status_ok", "Rule=accepted_values", "Phase=Ingestion", "Table=ingestion_log", "Column=status", "Values=success, partial")
            .Item("CdpCheck", "orders_link", "Rule=relationships", "Phase=Staging", "Table=shopify_orders", "Column=cleaned_customer_email", "To=shopify_customers", "Field=cleaned_email")
            .Item("CdpCheck", "fresh", "Rule=freshness", "Phase=HistUnion", "Table=web_signups_hist_union", "Column=event_time", "MaxAge=12h")
            .Item("CdpCheck", "growth", "Rule=row_count_change", "Phase=Unification", "Table=td_id_lookup")
            .Item("CdpCheck", "emails", "Rule=completeness", "Phase=Staging", "Table=pos_members", "Column=cleaned_email")
            .Read();
        Assert.That(result.Spec, Is.Not.Null, () => string.Join("\n", result.Diagnostics));
        var checks = result.Spec!.Checks.ToDictionary(c => c.Name);
        Assert.Multiple(() =>
        {
            Assert.That((checks["status_ok"].Database, checks["status_ok"].Values), Is.EqualTo(("retail_src", (IReadOnlyList<string>)["success", "partial"])));
            Assert.That((checks["orders_link"].Database, checks["orders_link"].ToDatabase, checks["orders_link"].ToTable, checks["orders_link"].Field),
                Is.EqualTo(("retail_stg", "retail_stg", "shopify_customers", "cleaned_email")));
            Assert.That(checks["fresh"].MaxAge, Is.EqualTo(TimeSpan.FromHours(12)));
            Assert.That((checks["growth"].Database, checks["growth"].Severity, checks["growth"].Max),
                Is.EqualTo(("cdp_unification_customer_360", CheckSeverity.Warn, (double?)20)));
            Assert.That((checks["emails"].Severity, checks["emails"].Min), Is.EqualTo((CheckSeverity.Error, (double?)100)));
            Assert.That(result.Spec.Settings.ReportDir, Is.EqualTo(Path.Combine(_folder.Path, "bin", "cdp")));
        });
    }

    [Test]
    public void ACheckChangesOnlyItsOwnPhasesConfigurationHash()
    {
        var plain = _folder.Retail().Read().Spec!;
        var checkedSpec = _folder.Retail().Item("CdpCheck", "ids", "Rule=unique", "Phase=Staging", "Table=pos_members", "Column=member_id").Read().Spec!;
        Assert.That(PhaseConfiguration.Hash(checkedSpec, Phase.Staging, "1"), Is.Not.EqualTo(PhaseConfiguration.Hash(plain, Phase.Staging, "1")));
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Unification })
            Assert.That(PhaseConfiguration.Hash(checkedSpec, phase, "1"), Is.EqualTo(PhaseConfiguration.Hash(plain, phase, "1")), phase.ToString());
    }

    [Test]
    public void RangeSqlTreatsNonNumbersAsOutOfRangeOnPresto()
    {
        var check = new CheckSpec
        {
            Name = "amount", Phase = Phase.Staging, Rule = CheckRule.Range, Database = "retail_stg", Table = "shopify_orders", Columns = ["amount"],
            Min = 0, Max = 100, Severity = CheckSeverity.Error, At = new Diagnostics.SourceLocation(""),
        };
        var presto = CheckSql.BadRows(check, SqlDialects.Presto, DateTimeOffset.UnixEpoch);
        var hive = CheckSql.BadRows(check, SqlDialects.Hive, DateTimeOffset.UnixEpoch);
        Assert.That(presto, Is.EqualTo("SELECT * FROM \"retail_stg\".\"shopify_orders\" WHERE \"amount\" IS NOT NULL AND (TRY_CAST(\"amount\" AS DOUBLE) IS NULL OR TRY_CAST(\"amount\" AS DOUBLE) < 0 OR TRY_CAST(\"amount\" AS DOUBLE) > 100)"));
        Assert.That(hive, Does.Contain("CAST(`amount` AS DOUBLE) < 0").And.Not.Contain("TRY_CAST"));
    }
}

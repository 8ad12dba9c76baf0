using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests.UnitTests;

/// <summary>
/// The retail sample's custom check (CdpCheck Sql="checks/orders_after_signup.sql") on the Local warehouse:
/// it passes on the sample's data and catches an order seeded before its customer's signup.
/// </summary>
public sealed class CustomCheckTests : RetailSampleTest
{
    [Test]
    public async Task CustomCheckPassesOnTheSampleAndCatchesASeededOrderBeforeSignup()
    {
        var spec = Sample.Spec();
        Assert.That(spec.Checks.Single(c => c.Name == "orders_after_signup").Rule, Is.EqualTo(CheckRule.Sql));
        var clean = new QualityGateTests.Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await clean.RunPhaseAsync(phase);
        var passed = clean.State.Load().Phase(Phase.Staging).Checks.Single(c => c.Name == "orders_after_signup");
        Assert.That((passed.Status, passed.Failures), Is.EqualTo((Core.Validation.CheckStatus.Pass, 0L)));

        // The seeded defect: order 5002 of trudie.boyle2@…, who signed up on 2023-10-27, dated 2020.
        using var fresh = new RetailSample();
        var orders = Path.Combine(fresh.Root, "data", "shopify", "orders.csv");
        File.WriteAllText(orders, File.ReadAllText(orders).Replace("5002, trudie.boyle2@mail.example.com,146.42,2024-01-28T06:15:00Z", "5002, trudie.boyle2@mail.example.com,146.42,2020-01-28T06:15:00Z"));
        Assert.That(File.ReadAllText(orders), Does.Contain("2020-01-28T06:15:00Z"), "the defect is seeded");
        var seeded = new QualityGateTests.Harness(fresh, fresh.Spec());
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await seeded.RunPhaseAsync(phase);
        var error = Assert.ThrowsAsync<CdpException>(() => seeded.RunPhaseAsync(Phase.Staging));
        Assert.That(error!.Diagnostic.Code, Is.EqualTo("CDP5010"));
        Assert.That(error.Message, Does.Contain("orders_after_signup (sql, error)").And.Contain("1 row(s) returned by checks/orders_after_signup.sql").And.Contain("order_id=5002"));
        var failed = seeded.State.Load().Phase(Phase.Staging).Checks.Single(c => c.Name == "orders_after_signup");
        Assert.That(failed.Sql, Does.Contain("o.standardized_ordered_at < c.standardized_created_at"), "the user's query, as it ran");
    }
}

using CdpSdk.Core.Configuration;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>Cdp*Schedule properties become each phase's recurring workflows' schedule:.</summary>
public sealed class ScheduleTests
{
    [TestCase("", "")]
    [TestCase("daily", "daily>: 00:00:00")]
    [TestCase("daily 07:30", "daily>: 07:30:00")]
    [TestCase("hourly 15:00", "hourly>: 15:00")]
    [TestCase("0 7 * * 1-5", "cron>: 0 7 * * 1-5")]
    [TestCase("cron>: */15 * * * *", "cron>: */15 * * * *")]
    [TestCase("weekly>: Sun,09:00:00", "weekly>: Sun,09:00:00")]
    [TestCase("monthly>: 1,09:00:00", "monthly>: 1,09:00:00")]
    [TestCase("minutes_interval>: 30", "minutes_interval>: 30")]
    public void AcceptedFormsBecomeDigdagsForm(string text, string expected) => Assert.That(ScheduleRules.Normalize(text), Is.EqualTo(expected));

    [TestCase("every morning")]
    [TestCase("daily 24:00")]
    [TestCase("0 7 * *")]
    [TestCase("yearly>: 01-01")]
    [TestCase("monthly>: 32,09:00:00")]
    public void OtherTextIsNotASchedule(string text) => Assert.That(ScheduleRules.Normalize(text), Is.Null);

    [Test]
    public void OnlyRecurringWorkflowsAreScheduledAndTheHistoricalBackfillIsNot()
    {
        var spec = RetailSpecs.For("presto");
        string File(Phase phase, string path) => WorkflowGenerator.Generate(spec, phase).Files.Single(f => f.RelativePath == path).Content;
        Assert.Multiple(() =>
        {
            Assert.That(File(Phase.Ingestion, "shopify_ingest_inc.dig"), Does.Contain("schedule:\n  daily>: '01:00:00'\n"));
            Assert.That(File(Phase.Ingestion, "shopify_ingest_hist.dig"), Does.Not.Contain("schedule:"));
            Assert.That(File(Phase.HistUnion, "pos_hist_union.dig"), Does.Contain("schedule:\n  daily>: '02:00:00'\n"));
            Assert.That(File(Phase.Staging, "transform_web.dig"), Does.Contain("schedule:\n  daily>: '03:00:00'\n"));
            Assert.That(File(Phase.Unification, "unif_runner.dig"), Does.Contain("schedule:\n  cron>: '0 4 * * *'\n"));
            Assert.That(File(Phase.Unification, "id_unification.dig"), Does.Not.Contain("schedule:"), "called workflows run from the runner");
        });
    }

    [Test]
    public void NoScheduleWithoutTheProperty() =>
        Assert.That(PhaseOrder.All.SelectMany(p => WorkflowGenerator.Generate(RetailSpecs.For("sqlite"), p).Files).Where(f => f.Content.Contains("schedule:")), Is.Empty);
}

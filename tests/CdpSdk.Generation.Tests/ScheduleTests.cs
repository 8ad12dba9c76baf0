using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
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

    // Accepted because Digdag accepts them. cron>: digdag-standards/src/main/java/io/digdag/standards/scheduler/CronSchedulerFactory.java
    // hands the value to cron4j 2.2.5's SchedulingPattern (CronScheduler.java; cron4j in digdag-standards/build.gradle).
    [TestCase("0 9 * * MON-FRI")]
    [TestCase("0 9 * * mon,Wed,fri")]
    [TestCase("0 0 1 JAN,jul *")]
    [TestCase("0 0 1 jan-jun/2 *")]
    [TestCase("*/15 9-17 * * *")]
    [TestCase("3-18/5 * * * *")]
    [TestCase("0 22-2 * * *")]          // a > b wraps around (SchedulingPattern.parseRange)
    [TestCase("0 0 * * sat-mon")]
    [TestCase("0 0 * * 7")]             // 7 is Sunday (DayOfWeekValueParser, 0-7)
    [TestCase("0 0 L * *")]             // the last day of the month (DayOfMonthValueParser)
    [TestCase("0 0 1,L * *")]
    [TestCase("*/60 * * * *")]          // one value per hour: what it reads
    [TestCase("0 5 * * *|8 10 * * *")]  // cron4j joins patterns with '|'
    [TestCase("0 0 29 2 *")]
    [TestCase("cron>: 07 7 * * *")]
    [TestCase("daily>: 7:0:0")]         // DailySchedulerFactory.parseAt: three integers
    [TestCase("daily>: 25:00:00")]      // a delay past midnight, as Digdag reads it
    [TestCase("hourly>: 05:30")]        // HourlySchedulerFactory.parseAt: two integers
    [TestCase("weekly>: mon-fri,09:00:00")] // WeeklySchedulerFactory: "0 0 * * " + day through SchedulingPattern.validate
    [TestCase("weekly>: 7, 09:00:00")]
    [TestCase("monthly>: 31,23:59:59")] // MonthlySchedulerFactory: "0 0 " + day + " * *"
    [TestCase("minutes_interval>: 60")] // MinutesIntervalSchedulerFactory: "*/" + N + " * * * *"
    public void SchedulesDigdagAcceptsAreAccepted(string text)
    {
        var (normalized, problem) = ScheduleRules.Check(text);
        Assert.That(problem, Is.Null, problem?.Reason);
        Assert.That(normalized, Does.Contain(">: "));
    }

    // Refused because Digdag refuses them (the cron4j class or factory that refuses each is named).
    [TestCase("99 99 99 99 99")]        // SimpleValueParser: value out of range
    [TestCase("60 * * * *")]
    [TestCase("0 24 * * *")]
    [TestCase("0 0 0 * *")]
    [TestCase("0 0 32 * *")]
    [TestCase("0 0 * 13 *")]
    [TestCase("0 0 * * 8")]
    [TestCase("0 7 * * Sunday")]        // parseAlias: three-letter names only
    [TestCase("0 0 ? * *")]             // no '?' in cron4j
    [TestCase("0 0 1W * *")]            // no W
    [TestCase("0 0 * * 1#2")]           // no #
    [TestCase("0 0 * * 5L")]            // L only in the day of month
    [TestCase("@daily")]                // no macros: SchedulingPattern wants five fields
    [TestCase("0 0 7 * * *")]           // no seconds field
    [TestCase("*/0 * * * *")]           // parseListElement: non positive divisor
    [TestCase("0 0 * * *|")]
    [TestCase("daily>: 07:00")]         // parseAt: hh:mm:ss
    [TestCase("daily>: 07:00:xx")]
    [TestCase("hourly>: 15")]
    [TestCase("weekly>: Sunday,09:00:00")]
    [TestCase("weekly>: Sun")]
    [TestCase("monthly>: 0,09:00:00")]  // "0 0 0 * *" fails in CronScheduler's SchedulingPattern
    [TestCase("monthly>: 1, 09:00:00")] // MonthlySchedulerFactory does not trim the time: parseInt(" 09") fails
    [TestCase("minutes_interval>: 0")]
    [TestCase("seconds_interval>: 30")] // Digdag has it (SecondsIntervalSchedulerFactory) but it is not documented; not offered
    public void SchedulesDigdagRefusesAreRefused(string text)
    {
        var (normalized, problem) = ScheduleRules.Check(text);
        Assert.That(normalized, Is.Null);
        Assert.That(problem?.Code, Is.EqualTo("CDP0102"), problem?.Reason);
    }

    // Digdag accepts these, but they do not run as they read: CDP0140.
    [TestCase("5/10 * * * *")]          // cron4j: the step applies to the values before it, so only minute 5
    [TestCase("*/90 * * * *")]          // cron4j keeps minute 0 only: hourly, not every 90 minutes
    [TestCase("0-10/20 * * * *")]
    [TestCase("minutes_interval>: 90")] // becomes */90: hourly
    [TestCase("0 0 30 2 *")]            // February 30th: never runs
    public void SchedulesDigdagRunsOtherwiseThanTheyReadAreRefused(string text) =>
        Assert.That(ScheduleRules.Check(text).Problem?.Code, Is.EqualTo("CDP0140"));

    [Test]
    public void ARefusedScheduleIsAnErrorAtThePropertysLine()
    {
        var result = RetailSpecs.Read("presto", (_, properties) =>
            properties["CdpStagingSchedule"] = new RawProperty("CdpStagingSchedule", "99 99 99 99 99", new SourceLocation(RetailSpecs.ProjectFile, 12, 5)));
        var error = result.Diagnostics.Single(d => d.Code == "CDP0102");
        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain("CdpStagingSchedule").And.Contain("minute field '99'"));
            Assert.That(error.Location?.Line, Is.EqualTo(12));
        });
    }

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
        Assert.That(PhaseOrder.All.SelectMany(p => WorkflowGenerator.Generate(RetailSpecs.For("local"), p).Files).Where(f => f.Content.Contains("schedule:")), Is.Empty);
}

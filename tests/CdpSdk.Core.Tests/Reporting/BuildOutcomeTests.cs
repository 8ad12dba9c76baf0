using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Tests.Reporting;

/// <summary>What each phase did in one build, told apart from what earlier builds left in the state.</summary>
public sealed class BuildOutcomeTests
{
    [Test]
    public void AFailedPhaseStopsTheOnesAfterItAndTheOnesBeforeItWereUpToDate()
    {
        var outcomes = BuildOutcome.Of(BuildStates.StagingFailedInSecondBuild(), BuildStates.SecondBuild).ToDictionary(o => o.Phase);
        Assert.That(outcomes.Values.Select(o => o.Outcome), Is.EqualTo(new[] { PhaseOutcome.UpToDate, PhaseOutcome.UpToDate, PhaseOutcome.Failed, PhaseOutcome.NotRunUpstreamFailed }));
        Assert.That(outcomes[Phase.Staging].DurationMs, Is.EqualTo(6_000), "Generate, Deploy and Execute of this build; not the first build's Monitor and Validate");
        Assert.That(outcomes[Phase.Staging].StepsRun, Is.EqualTo(new[] { "Generate", "Deploy", "Execute" }));
        Assert.That(outcomes[Phase.Unification].Label, Is.EqualTo("not run (upstream failed)"));
        Assert.That(outcomes[Phase.Unification].DurationMs, Is.Zero);
    }

    [Test]
    public void APhaseWhoseConfigurationChangedSinceItRanIsStale()
    {
        var state = BuildStates.AllSucceeded();
        var hashes = PhaseOrder.All.ToDictionary(p => p, p => p == Phase.Unification ? "changed" : "hash-" + p);
        var outcomes = BuildOutcome.Of(state, BuildStates.SecondBuild, hashes);
        Assert.That(outcomes.Select(o => o.Status), Is.EqualTo(new[] { "up_to_date", "up_to_date", "up_to_date", "stale" }));
    }

    [Test]
    public void ChecksBelongToTheBuildTheyRanIn()
    {
        var check = BuildStates.Check(Phase.Staging, BuildStates.FirstBuild.AddMinutes(1));
        Assert.That(BuildOutcome.InBuild(check, BuildStates.SecondBuild), Is.False);
        Assert.That(BuildOutcome.InBuild(check, BuildStates.FirstBuild), Is.True);
        Assert.That(BuildOutcome.InBuild(check, null), Is.True, "without a build start every check counts");
    }

    [Test]
    public void ConfigHashesAreReadFromEachPhasesConfigHashFile()
    {
        var dir = Directory.CreateTempSubdirectory("cdp-hashes-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "Staging"));
            File.WriteAllText(Path.Combine(dir, "Staging", "config.hash"), "abc\n");
            Assert.That(BuildOutcome.ConfigHashes(dir), Is.EqualTo(new Dictionary<Phase, string> { [Phase.Staging] = "abc" }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void RowCountChangeIsBuiltInForDataTablesOnly()
    {
        IReadOnlyList<TableRecord> tables = [new("src", "customers", 10), new("src", "ingestion_log", 12), new("u", "td_id_result_key_stats", 5), new("u", "td_id_source_key_stats", 8), new("u", "td_id_lookup", 9)];
        var history = tables.ToDictionary(t => $"{t.Database}.{t.Table}", t => t.Rows / 2);
        var checks = QualityGate.BuiltInRowCountChecks(Phase.Ingestion, tables, [], history).Select(c => c.Table);
        Assert.That(checks, Is.EqualTo(new[] { "customers", "td_id_lookup" }), "append-only log and key-stats tables grow by design");
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Tests.Phases;

/// <summary>What a phase may run after: a validated upstream, or one the user skipped with CdpSkipFailedPhase (with a warning).</summary>
public sealed class CheckUpstreamTests
{
    static readonly SourceLocation At = new("p.cdpproj");

    static string Hash(Phase phase) => "hash-" + phase;

    static PipelineState State(params (Phase Phase, PhaseStatus Status)[] phases) =>
        phases.Aggregate(new PipelineState(), (s, p) => s.With(p.Phase, ph => ph with
        {
            Status = p.Status,
            ConfigHash = Hash(p.Phase),
            Skip = p.Status == PhaseStatus.Skipped ? new SkipRecord(DateTimeOffset.UnixEpoch, "Execute", "boom", "-p:CdpSkipFailedPhase=" + p.Phase) : null,
        }));

    [Test]
    public void SkippedUpstreamNamedByTheSwitchIsAWarningNotAnError()
    {
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Succeeded), (Phase.Staging, PhaseStatus.Skipped));
        var d = PhaseRunner.CheckUpstream(state, Phase.Unification, Hash, At, [Phase.Staging]);
        Assert.That((d?.Code, d?.Severity), Is.EqualTo(("CDP6202", DiagnosticSeverity.Warning)));
        Assert.That(d!.Message, Does.Contain("Phase Unification runs on incomplete input: upstream phase Staging (failed at Execute) was SKIPPED"));
    }

    [Test]
    public void SkippedUpstreamWithAChangedConfigurationStillRuns()
    {
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Skipped));
        var d = PhaseRunner.CheckUpstream(state, Phase.Staging, p => "changed-" + p, At, [Phase.HistUnion]);
        Assert.That(d?.Code, Is.EqualTo("CDP6202"), "a skipped phase ran with the configuration it failed with; CDP0091 would only block the skip");
    }

    [Test]
    public void SkippedUpstreamWithoutTheSwitchIsRefused()
    {
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Succeeded), (Phase.Staging, PhaseStatus.Skipped));
        var d = PhaseRunner.CheckUpstream(state, Phase.Unification, Hash, At);
        Assert.That((d?.Code, d?.Severity), Is.EqualTo(("CDP0090", DiagnosticSeverity.Error)));
        Assert.That(d!.Message, Does.Contain("it failed at Execute and was skipped, but CdpSkipFailedPhase no longer names it"));
    }

    [Test]
    public void FailedUpstreamIsRefusedEvenWhenTheSwitchNamesIt()
    {
        // Failed becomes Skipped only when one of its own steps runs with the switch; until then it blocks.
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Failed));
        Assert.That(PhaseRunner.CheckUpstream(state, Phase.Staging, Hash, At, [Phase.HistUnion])?.Code, Is.EqualTo("CDP0090"));
    }

    [Test]
    public void PhaseSkippedFurtherUpstreamWarnsEveryLaterPhase()
    {
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Skipped), (Phase.Staging, PhaseStatus.Succeeded));
        var d = PhaseRunner.CheckUpstream(state, Phase.Unification, Hash, At, [Phase.HistUnion]);
        Assert.That((d?.Code, d?.Severity), Is.EqualTo(("CDP6202", DiagnosticSeverity.Warning)));
        Assert.That(d!.Message, Does.Contain("upstream phase HistUnion (failed at Execute) was SKIPPED"));
    }

    [Test]
    public void CompleteUpstreamIsClean()
    {
        var state = State((Phase.Ingestion, PhaseStatus.Succeeded), (Phase.HistUnion, PhaseStatus.Succeeded));
        Assert.That(PhaseRunner.CheckUpstream(state, Phase.Staging, Hash, At, [Phase.HistUnion]), Is.Null);
    }
}

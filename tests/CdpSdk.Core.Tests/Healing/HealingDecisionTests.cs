using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Healing;

/// <summary>Who may apply a fix: the approval, the mode and the confidence decide, and impossible fixes never apply.</summary>
public sealed class HealingDecisionTests
{
    static Core.Diagnosis.Diagnosis With(FixKind kind, double confidence, string code = DiagnosisCatalog.MissingColumn) =>
        new(code, "t", "c", new ProposedFix("f"), confidence, kind, new Failure("CDP4001", "m", new CdpSdk.Core.Diagnostics.FailureCause(CdpSdk.Core.Diagnostics.FailureKind.MissingColumn, "m")));

    static readonly HealingSettings HumanInLoop = new();
    static readonly HealingSettings Autonomous = new() { Mode = RunMode.Autonomous };

    [Test]
    public void HumanInLoopAppliesOnlyAutomaticOrApprovedFixes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HealingDecision.For(With(FixKind.NeedsApproval, 0.99), HumanInLoop).Apply, Is.False);
            Assert.That(HealingDecision.For(With(FixKind.Automatic, 0.5), HumanInLoop).Apply, Is.True, "a retry or a longer wait changes nothing the user owns");
            var approved = HealingDecision.For(With(FixKind.NeedsApproval, 0.3), HumanInLoop with { Approved = ["CDP6104"] });
            Assert.That((approved.Apply, approved.Reason), Is.EqualTo((true, "approved with -p:CdpApprove=CDP6104")));
        });
    }

    [Test]
    public void AutonomousAppliesWhatReachesTheMinimumConfidence()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HealingDecision.For(With(FixKind.NeedsApproval, 0.8), Autonomous).Apply, Is.True, "the threshold itself is enough");
            var low = HealingDecision.For(With(FixKind.NeedsApproval, 0.79), Autonomous);
            Assert.That((low.Apply, low.Reason), Is.EqualTo((false, "Autonomous: confidence 0.79 is below CdpAutoFixMinConfidence 0.8")));
            Assert.That(HealingDecision.For(With(FixKind.Automatic, 0.7), Autonomous with { MinConfidence = 0.9 }).Apply, Is.False, "Autonomous holds every fix to its threshold");
            Assert.That(HealingDecision.For(With(FixKind.NeedsApproval, 0.5), Autonomous with { MinConfidence = 0.5 }).Apply, Is.True);
        });
    }

    [Test]
    public void ImpossibleFixesAreNeverAppliedEvenWhenApproved()
    {
        var auth = With(FixKind.Impossible, 1.0, DiagnosisCatalog.Authentication);
        Assert.Multiple(() =>
        {
            Assert.That(HealingDecision.For(auth, Autonomous).Apply, Is.False);
            Assert.That(HealingDecision.For(auth, HumanInLoop with { Approved = ["CDP6105"] }).Apply, Is.False);
        });
    }
}

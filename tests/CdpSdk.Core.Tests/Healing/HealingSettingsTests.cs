using CdpSdk.Core.Model;
using CdpSdk.Core.Tests.Configuration;

namespace CdpSdk.Core.Tests.Healing;

public sealed class HealingSettingsTests
{
    [Test]
    public void DefaultsAreHumanInLoopWithThreeAttemptsFiveSecondsAndDoubling()
    {
        using var folder = new SampleFolder();
        var h = folder.Retail().Read().Spec!.Settings.Healing;
        Assert.That((h.Mode, h.MinConfidence, h.StepMaxAttempts, h.StepRetryDelay, h.StepRetryMultiplier, h.HandEdits, h.Approved.Count, h.SkipFailed.Count),
            Is.EqualTo((RunMode.HumanInLoop, 0.8, 3, TimeSpan.FromSeconds(5), 2.0, HandEditPolicy.Ask, 0, 0)));
    }

    [Test]
    public void EveryPropertyIsRead()
    {
        using var folder = new SampleFolder();
        var h = folder.Retail().Property("CdpMode", "autonomous").Property("CdpAutoFixMinConfidence", "0.65").Property("CdpApprove", "cdp6104; CDP6103")
            .Property("CdpStepMaxAttempts", "5").Property("CdpStepRetryDelay", "0.5").Property("CdpStepRetryMultiplier", "3")
            .Property("CdpHandEditedFiles", "Keep").Property("CdpSkipFailedPhase", "Staging,hist_union").Read().Spec!.Settings.Healing;
        Assert.That((h.Mode, h.MinConfidence, h.StepMaxAttempts, h.StepRetryDelay, h.StepRetryMultiplier, h.HandEdits),
            Is.EqualTo((RunMode.Autonomous, 0.65, 5, TimeSpan.FromMilliseconds(500), 3.0, HandEditPolicy.Keep)));
        Assert.That(h.Approved, Is.EqualTo(new[] { "CDP6104", "CDP6103" }));
        Assert.That(h.IsApproved("CDP6103") && !h.IsApproved("CDP6101"), Is.True);
        Assert.That(h.SkipFailed, Is.EqualTo(new[] { Phase.Staging, Phase.HistUnion }));
    }
}

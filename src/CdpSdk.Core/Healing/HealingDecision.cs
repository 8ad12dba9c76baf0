using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Healing;

/// <summary>Whether a diagnosed fix is applied now, and why: the reason goes to the run log and the build output.</summary>
public sealed record HealingDecision(bool Apply, string Reason)
{
    /// <summary>
    /// Impossible fixes never apply; an approved one always does; Autonomous applies what is confident enough;
    /// HumanInLoop applies only automatic fixes (a retry, a longer wait), which change nothing the user owns.
    /// </summary>
    public static HealingDecision For(Diagnosis.Diagnosis d, HealingSettings h)
    {
        if (d.Kind == FixKind.Impossible) return new(false, "only you can fix this");
        if (h.IsApproved(d.Code)) return new(true, $"approved with -p:CdpApprove={d.Code}");
        if (h.Mode == RunMode.Autonomous)
            return d.Confidence >= h.MinConfidence
                ? new(true, $"Autonomous: confidence {d.Confidence:0.##} reaches CdpAutoFixMinConfidence {h.MinConfidence:0.##}")
                : new(false, $"Autonomous: confidence {d.Confidence:0.##} is below CdpAutoFixMinConfidence {h.MinConfidence:0.##}");
        return d.Kind == FixKind.Automatic
            ? new(true, "an automatic fix (it changes nothing you own)")
            : new(false, "HumanInLoop: the fix needs your approval");
    }
}

using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;

namespace CdpSdk.Core.Healing;

/// <summary>What a stop tells the user, and the "decision" line every stop or fix leaves in the run log.</summary>
internal static class HealingMessages
{
    public static string Stop(StepContext ctx, Step step, Diagnosis.Diagnosis d, FixPlan? plan, HealingDecision decision)
    {
        var h = ctx.Spec.Settings.Healing;
        var lines = new List<string> { $"{ctx.Phase} stopped at {step}: {d.Title} (confidence {d.Confidence:0.##}). {d.Cause}" };
        if (plan is null)
        {
            var what = d.Fix.Description + (d.Fix.Command is { } command ? $" ({command})" : "");
            lines.Add(d.Kind == FixKind.Impossible ? $"Only you can fix this: {what}" : $"No change can be made for you. What to do: {what}");
        }
        else
        {
            lines.Add($"Proposed fix: {plan.Summary}");
            if (plan.Diff is { } diff) lines.AddRange(diff.Split('\n').Select(l => "    " + l));
            lines.Add($"Not applied: {decision.Reason}.");
            lines.Add($"To apply it and resume {ctx.Phase} at {plan.ResumeAt}: dotnet build -t:CdpPipeline -p:CdpApprove={d.Code}" +
                      (plan.FilesTouched.Count > 0 ? " (the files it changes are backed up under obj/cdp/backups/ first)." : "."));
        }
        return string.Join("\n", lines);
    }

    public static void WriteDecision(StepContext ctx, Step step, Diagnosis.Diagnosis d, string decision, string reason, FixPlan? plan, Backup? backup) =>
        RunLog.Beside(ctx.State.Path).Write("decision", ctx.State.Load().PipelineId, ctx.Phase.ToString(), step.ToString(), new Dictionary<string, object?>
        {
            ["decision"] = decision, ["diagnosis"] = d.Code, ["title"] = d.Title, ["confidence"] = d.Confidence, ["kind"] = d.Kind.ToString(),
            ["mode"] = ctx.Spec.Settings.Healing.Mode.ToString(), ["reason"] = reason, ["fix"] = plan?.Summary, ["diff"] = plan?.Diff,
            ["resume_at"] = plan?.ResumeAt.ToString(), ["backup"] = backup?.Id, ["files"] = backup?.Files.Select(f => f.OriginalPath).ToList(),
        });
}

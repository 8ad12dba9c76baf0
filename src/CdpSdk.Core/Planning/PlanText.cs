using System.Text;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Planning;

/// <summary>The plan as a person reads it (-t:CdpPlan), and the one line a running step logs.</summary>
public static class PlanText
{
    /// <summary>"Staging Execute runs: sql/web_signups.sql changed".</summary>
    public static string RunsLine(Phase phase, StepPlan step) => $"{phase} {step.Step} runs: {step.Because()}";

    public static string Render(BuildPlan plan, string projectName)
    {
        var text = new StringBuilder();
        text.Append("CDP plan for ").Append(projectName).Append(" (through ").Append(plan.Goal).Append("):\n");
        foreach (var phase in plan.Phases) Phase(text, phase);
        text.Append(plan.NothingToDo ? "Nothing to do: every step is up to date.\n" : "Nothing was changed: this is what the build would do.\n");
        return text.ToString();
    }

    static void Phase(StringBuilder text, PhasePlan phase)
    {
        var running = phase.Running.ToList();
        text.Append("  ").Append(phase.Phase).Append(": ");
        if (phase.UpToDate) text.Append("up to date");
        else if (running.Count > 0)
        {
            text.Append(running.Count).Append(running.Count == 1 ? " step runs" : " steps run");
            if (phase.EstimatedMs is { } ms) text.Append(", about ").Append(Planner.Duration(ms)).Append(" (last run)");
        }
        else text.Append("nothing runs");
        text.Append('\n');

        // Consecutive steps with the same decision and reasons share a line: "Generate…Validate run: …".
        var steps = phase.Steps.Where(s => s.Decision != StepDecision.UpToDate).ToList();
        for (var i = 0; i < steps.Count;)
        {
            var j = i;
            while (j + 1 < steps.Count && steps[j + 1].Decision == steps[i].Decision && steps[j + 1].Step == steps[j].Step + 1 && steps[j + 1].Because() == steps[i].Because()) j++;
            var names = i == j ? steps[i].Step.ToString() : $"{steps[i].Step}…{steps[j].Step}";
            var verb = steps[i].Decision switch
            {
                StepDecision.WillRun => i == j ? "runs" : "run",
                StepDecision.Blocked => i == j ? "is blocked" : "are blocked",
                _ => i == j ? "is skipped" : "are skipped",
            };
            text.Append("    ").Append(names).Append(' ').Append(verb).Append(": ").Append(steps[i].Because()).Append('\n');
            i = j + 1;
        }
        if (phase.RestoredFiles.Count > 0)
            text.Append("    ").Append(phase.RestoredFiles.Count).Append(" generated file(s) deleted by hand are written again as generated, no step runs for them: ")
                .Append(string.Join(", ", phase.RestoredFiles.Take(5).Select(f => $"{phase.Phase.FolderName()}/{f}"))).Append('\n');
        if (running.Any(s => s.Step == Step.Execute) && phase.Tables.Count > 0)
            text.Append("    writes tables: ").Append(string.Join(", ", phase.Tables)).Append('\n');
        if (phase.GeneratedChanges.Count > 0)
        {
            text.Append("    generated files that change:\n");
            var added = phase.GeneratedChanges.Where(c => c.Change == "added").ToList();
            // A first Generate adds every file: their names say nothing the folder will not.
            if (added.Count > 5)
                text.Append("      ").Append(added.Count).Append(" files added under ").Append(phase.Phase.FolderName()).Append("/\n");
            foreach (var change in phase.GeneratedChanges.Where(c => added.Count <= 5 || c.Change != "added"))
            {
                text.Append("      ").Append(change.File).Append(' ').Append(change.Change).Append('\n');
                foreach (var line in change.Diff.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    text.Append("        ").Append(line).Append('\n');
            }
        }
    }
}

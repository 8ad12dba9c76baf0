using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>Writes the phase's workflow project; no network, same input → same bytes.</summary>
internal static class GenerateStep
{
    public static Task RunAsync(StepContext ctx)
    {
        var project = WorkflowGenerator.Generate(ctx.Spec, ctx.Phase);
        var result = ProjectWriter.Write(project, ctx.ProjectDirectory);
        ctx.Log.Info($"{ctx.Phase}: generated {project.Files.Count} files in {ctx.ProjectDirectory} ({result.Written.Count} written, {result.Deleted.Count} removed)", important: true);

        // Digdag's push-time rules, checked on the files as written so each error points at a line the user can open.
        var problems = DigdagPushRules.Check(project, ctx.ProjectDirectory, ctx.Spec.Settings.Target == TargetKind.TreasureData);
        if (problems.Count > 0)
        {
            foreach (var problem in problems.Skip(1)) ctx.Log.Report(problem);
            throw new CdpException(problems[0]);
        }

        // A new generation is a new run of the phase: it gets a new session time, while Execute after an
        // interruption reuses this one and so gets the same session back instead of a duplicate.
        var sessionTime = DateTimeOffset.UtcNow;
        sessionTime = sessionTime.AddTicks(-(sessionTime.Ticks % TimeSpan.TicksPerSecond));
        // Session times have whole seconds: a regeneration within the same second as the last one (a fix
        // resuming at Generate on a fast target) would otherwise get the finished session back, not a new run.
        if (ctx.State.Load().Phase(ctx.Phase).SessionTime is { } last && sessionTime <= last) sessionTime = last.AddSeconds(1);
        ctx.State.Update(s => s.With(ctx.Phase, p => p with
        {
            ProjectName = project.ProjectName,
            SessionTime = sessionTime,
            Files = project.Files.Select(f => f.RelativePath).ToList(),
            Sessions = [],
            Tables = [],
        }));
        return Task.CompletedTask;
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>Uploads the generated project; the backend names the revision from its content.</summary>
internal static class DeployStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        // Files edited by hand since Generate are decided about before they are pushed; deleted ones are written again.
        var outcome = HandEditedFiles.BeforeDeploy(ctx);
        if (!Directory.Exists(ctx.ProjectDirectory))
            throw new CdpException("CDP2002", $"{ctx.Phase}: the generated project '{ctx.ProjectDirectory}' is missing; run CdpGenerate first.");
        if (outcome is { Kept.Count: > 0, Project: { } project })
        {
            // A kept edit goes out as it is, so it must pass the push rules Generate checked the generated version against.
            var problems = DigdagPushRules.Check(HandEditedFiles.AsDeployed(project, ctx.ProjectDirectory, outcome.Kept), ctx.ProjectDirectory,
                ctx.Spec.Settings.Target == TargetKind.TreasureData);
            if (problems.Count > 0)
            {
                foreach (var problem in problems.Skip(1)) ctx.Log.Report(problem);
                throw new CdpException(problems[0]);
            }
        }
        using var backend = ctx.Backend();
        var revision = await backend.DeployAsync(ctx.ProjectName, ctx.ProjectDirectory, ctx.Cancellation);
        ctx.Log.Info($"{ctx.Phase}: deployed project {revision.ProjectName} revision {revision.Name}", important: true);
        ctx.State.Update(s => s.With(ctx.Phase, p => p with { Revision = revision }));
    }
}

using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>Uploads the generated project; the backend names the revision from its content.</summary>
internal static class DeployStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        // Files edited by hand since Generate are decided about before they are pushed; deleted ones are written
        // again. A kept edit goes out as it is: if the backend refuses it, that failure is diagnosed (CDP6101).
        HandEditedFiles.BeforeDeploy(ctx);
        if (!Directory.Exists(ctx.ProjectDirectory))
            throw new CdpException("CDP2002", $"{ctx.Phase}: the generated project '{ctx.ProjectDirectory}' is missing; run CdpGenerate first.");
        using var backend = ctx.Backend();
        var revision = await backend.DeployAsync(ctx.ProjectName, ctx.ProjectDirectory, ctx.Cancellation);
        ctx.Log.Info($"{ctx.Phase}: deployed project {revision.ProjectName} revision {revision.Name}", important: true);
        // Another revision after the phase's workflows already ran (a hand edit kept and deployed without a new
        // Generate) is a new run: on the same session time TD would give back the finished session, not run it.
        ctx.State.Update(s => s.With(ctx.Phase, p => p.Sessions.Count > 0 && p.Revision is { } previous && previous.Name != revision.Name
            ? p with { Revision = revision, SessionTime = SessionTimes.Next(p), Sessions = [], Tables = [] }
            : p with { Revision = revision }));
    }
}

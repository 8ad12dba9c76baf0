using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>Starts the phase's workflows in order at the session time fixed by Generate.</summary>
internal static class ExecuteStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        var phase = ctx.State.Load().Phase(ctx.Phase);
        if (phase.Revision is null || phase.SessionTime is null)
            throw new CdpException("CDP3011", $"{ctx.Phase}: nothing is deployed yet; run CdpDeploy first.");

        var workflows = WorkflowGenerator.Generate(ctx.Spec, ctx.Phase).Workflows;
        using var backend = ctx.Backend();
        var sessions = new List<SessionRecord>();
        foreach (var workflow in workflows)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            ctx.Log.Progress(new WorkProgress(workflow));
            var session = await backend.StartAsync(phase.Revision, workflow, phase.SessionTime.Value, ctx.Cancellation);
            ctx.Log.Info($"{ctx.Phase}: started {workflow} (session {session.SessionId}, attempt {session.AttemptId})", important: true);
            sessions.Add(new SessionRecord(workflow, session.SessionId, session.AttemptId, session.SessionTime, "Started"));
            ctx.State.Update(s => s.With(ctx.Phase, p => p with { Sessions = sessions.ToList() }));

            // Workflows of a phase depend on each other (historical before incremental), so each must end
            // before the next starts; Monitor follows the last one.
            if (workflow != workflows[^1]) await MonitorStep.WaitAsync(ctx, backend, session);
        }
    }
}

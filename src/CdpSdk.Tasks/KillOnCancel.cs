using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Phases;

namespace CdpSdk.Tasks;

/// <summary>
/// CdpKillOnCancel: a cancelled build (Ctrl+C) during Execute or Monitor also kills the phase's running
/// attempts. Without it they keep running on the target, and the next build reattaches to them.
/// </summary>
internal static class KillOnCancel
{
    public static void Run(StepContext ctx)
    {
        var sessions = ctx.State.Load().Phase(ctx.Phase).Sessions.Where(s => s.Status == "Started").ToList();
        if (sessions.Count == 0) return;
        // The build's own token is cancelled; the kill gets a short budget of its own.
        using var budget = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var backend = ctx.Backend();
            foreach (var s in sessions)
            {
                backend.KillAsync(new Core.Backend.SessionRef(s.SessionId, s.AttemptId, s.Workflow, s.SessionTime), budget.Token).GetAwaiter().GetResult();
                ctx.Log.Info($"{ctx.Phase}: killed {s.Workflow} attempt {s.AttemptId} (CdpKillOnCancel)", important: true);
            }
        }
        catch (Exception e) when (e is CdpException or OperationCanceledException)
        {
            ctx.Log.Report(Diagnostic.Warning("CDP4100", $"{ctx.Phase}: could not kill the running attempts after the cancellation ({e.Message}). Kill them in the TD console, or build again to reattach."));
        }
    }
}

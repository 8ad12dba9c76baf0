using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;

namespace CdpSdk.Core.Healing;

/// <summary>Where a run of a step must really start, when starting at the step itself would only repeat an old failure.</summary>
public static class ResumePoints
{
    /// <summary>
    /// Secrets are uploaded at Deploy, which a rebuild would skip (its stamp is current): after a stop for a
    /// missing secret, the next build starts at Deploy so the value the user has since provided is used.
    /// </summary>
    public static Step AfterSecretProvided(StepContext ctx, Step step)
    {
        if (step <= Step.Deploy || ctx.State.Load().Phase(ctx.Phase).PendingFix?.Diagnosis.Code != DiagnosisCatalog.MissingSecret) return step;
        ctx.Log.Info($"{ctx.Phase}: the last build stopped for a missing secret ({DiagnosisCatalog.MissingSecret}); deploying again so the secret is uploaded.", important: true);
        return Step.Deploy;
    }

    /// <summary>
    /// Where a retry of <paramref name="step"/> must start: a workflow that failed (CDP4001) has ended its
    /// attempt, so monitoring it again only repeats the failure; Execute starts a new attempt first.
    /// </summary>
    public static Step RestartPoint(Step step, string failureCode) => step == Step.Monitor && failureCode == "CDP4001" ? Step.Execute : step;

    /// <summary>
    /// A rebuild after a workflow failed (the user set a credential, fixed a file or the data) runs the
    /// workflow again from Execute, since Monitor alone would report the old attempt's failure forever.
    /// A killed attempt is not restarted here: that needs its own approval (CDP6108).
    /// </summary>
    public static async Task<Step> AfterFailedWorkflowAsync(StepContext ctx, Step step)
    {
        var phase = ctx.State.Load().Phase(ctx.Phase);
        if (step != Step.Monitor || phase.Steps.GetValueOrDefault(Step.Monitor.ToString()) is not { Status: "Failed" }) return step;
        try
        {
            using var backend = ctx.Backend();
            foreach (var s in phase.Sessions)
                if ((await backend.GetStatusAsync(new Backend.SessionRef(s.SessionId, s.AttemptId, s.Workflow, s.SessionTime), ctx.Cancellation)).State == Backend.RunState.Error)
                    return Step.Execute;
        }
        catch (CdpException)
        {
            // Monitor itself will report what is wrong with the sessions.
        }
        return step;
    }
}

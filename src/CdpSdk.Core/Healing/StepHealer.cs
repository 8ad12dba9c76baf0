using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Healing;

/// <summary>The steps a healed run went through (in order, the requested step last) and the context it ended with.</summary>
public sealed record HealOutcome(StepContext Context, IReadOnlyList<Step> StepsRun)
{
    /// <summary>The step failed and its phase was skipped (CdpSkipFailedPhase): nothing is done, no stamp is written.</summary>
    public bool Skipped { get; init; }
}

/// <summary>
/// Runs a step the way the pipeline's orchestrators did by hand, but with every decision explicit and
/// recorded: transient failures are retried with backoff; any other failure is diagnosed; its fix is
/// applied (files backed up first) when approved, automatic, or — in Autonomous mode — confident enough,
/// and the phase resumes at the step the fix needs; otherwise the build stops with the diagnosis, the
/// proposed change and the switch that approves it, and the proposal waits in the state for that rerun.
/// </summary>
public static class StepHealer
{
    /// <summary>Fixes one step may apply in one build: each diagnosis once, so a fix that does not help cannot loop.</summary>
    const int MaxFixes = 4;

    public static async Task<HealOutcome> RunAsync(StepContext ctx, Step step)
    {
        var ran = new List<Step>();
        var applied = new HashSet<string>(StringComparer.Ordinal);
        (ctx, var resumeAt) = await ApplyApprovedAsync(ctx, step, applied);
        if (resumeAt == step) resumeAt = ResumePoints.AfterSecretProvided(ctx, step);
        if (resumeAt == step) resumeAt = await ResumePoints.AfterFailedWorkflowAsync(ctx, step);
        while (true)
        {
            var log = new DeferredLog(ctx.Log);
            var attempt = ctx with { Log = log };
            var current = resumeAt;
            try
            {
                for (; current <= step; current++)
                {
                    await StepRetries.RunAsync(attempt, current, log);
                    ran.Remove(current);
                    ran.Add(current);
                }
                log.Release(asErrors: true);
                SetPending(ctx, null);
                return new HealOutcome(ctx, ran);
            }
            catch (CdpException e)
            {
                var failure = e.Diagnostic;
                var d = await DiagnoseAsync(ctx, failure, current);
                FixPlan? plan = null;
                PendingFix? pending = null;
                HealingDecision decision;
                Diagnostic stop;
                if (d.Code == DiagnosisCatalog.Unknown)
                {
                    decision = new HealingDecision(false, "the failure is not one the diagnosis catalogue knows");
                    stop = failure;
                }
                else if (failure.Code == d.Code)
                {
                    // A step that stops with a diagnosis of its own (a hand-edited file) already says what to approve.
                    decision = new HealingDecision(false, "the step asks for a decision");
                    pending = new PendingFix(d, current, failure.Message, DateTimeOffset.UtcNow);
                    stop = failure;
                }
                else
                {
                    plan = d.Kind == FixKind.Impossible ? null : FixPlanner.Plan(ctx, d, current);
                    decision = plan is null
                        ? new HealingDecision(false, d.Kind == FixKind.Impossible ? "only you can fix this" : "no change can be made for you")
                        : HealingDecision.For(d, ctx.Spec.Settings.Healing);
                    if (decision.Apply && applied.Count < MaxFixes && applied.Add(d.Code))
                    {
                        log.Release(asErrors: false);
                        ctx.Log.Report(Diagnostic.Warning(failure.Code, $"{failure.Message} (diagnosed as {d.Code}; fixing it)", failure.Location));
                        ctx = await ApplyAsync(ctx, current, d, plan!, decision);
                        resumeAt = plan!.ResumeAt < current ? plan.ResumeAt : current;
                        continue;
                    }
                    if (decision.Apply) decision = new HealingDecision(false, $"its fix was already applied in this build and {current} still fails");
                    if (plan is not null) pending = new PendingFix(d, current, plan.Summary, DateTimeOffset.UtcNow);
                    // Only the user can provide a secret, but the next build must upload it: remembered to resume at Deploy.
                    else if (d.Code == DiagnosisCatalog.MissingSecret) pending = new PendingFix(d, current, d.Fix.Description, DateTimeOffset.UtcNow);
                    stop = Diagnostic.Error(d.Code, HealingMessages.Stop(ctx, current, d, plan, decision), plan?.At ?? failure.Location);
                }

                // CdpSkipFailedPhase naming this phase: the failure is reported as a warning and the phase is skipped, in this build already.
                var skipping = ctx.Spec.Settings.Healing.SkipFailed.Contains(ctx.Phase);
                log.Release(asErrors: !skipping);
                if (stop != failure) ctx.Log.Report(skipping ? failure with { Severity = DiagnosticSeverity.Warning } : failure);
                HealingMessages.WriteDecision(ctx, current, d, "stop", decision.Reason, plan, null);
                SetPending(ctx, pending);
                if (skipping)
                {
                    ctx.Log.Report(stop with { Severity = DiagnosticSeverity.Warning });
                    PhaseSkip.TrySkip(ctx, current);
                    return new HealOutcome(ctx, ran) { Skipped = true };
                }
                if (stop == failure) throw;
                throw new CdpException(stop, e);
            }
        }
    }

    /// <summary>A rerun with -p:CdpApprove=code applies the fix the last build proposed, before running anything.</summary>
    static async Task<(StepContext, Step)> ApplyApprovedAsync(StepContext ctx, Step step, HashSet<string> applied)
    {
        var pending = ctx.State.Load().Phase(ctx.Phase).PendingFix;
        if (pending is null || !ctx.Spec.Settings.Healing.IsApproved(pending.Diagnosis.Code)) return (ctx, step);
        var plan = FixPlanner.Plan(ctx, pending.Diagnosis, pending.Step);
        if (plan is null)
        {
            ctx.Log.Report(Diagnostic.Warning("CDP6004", $"{ctx.Phase}: the approved fix of {pending.Diagnosis.Code} no longer applies (the project changed since it was proposed); running {step} as the project is now."));
            SetPending(ctx, null);
            return (ctx, step);
        }
        applied.Add(pending.Diagnosis.Code);
        ctx = await ApplyAsync(ctx, pending.Step, pending.Diagnosis, plan, new HealingDecision(true, $"approved with -p:CdpApprove={pending.Diagnosis.Code}"));
        return (ctx, plan.ResumeAt < step ? plan.ResumeAt : step);
    }

    static async Task<Diagnosis.Diagnosis> DiagnoseAsync(StepContext ctx, Diagnostic failure, Step step)
    {
        var f = Failure.Of(failure, ctx.Phase, step);
        if (f.Kind == FailureKind.MissingColumn) f = f with { KnownColumns = await KnownColumns.OfPhaseAsync(ctx) };
        return DiagnosisCatalog.Diagnose(f);
    }

    static async Task<StepContext> ApplyAsync(StepContext ctx, Step failedStep, Diagnosis.Diagnosis d, FixPlan plan, HealingDecision decision)
    {
        var backup = plan.FilesTouched.Count > 0 ? new FileBackups(ctx.BackupsDirectory).Save($"{d.Code} {d.Title}", plan.FilesTouched) : null;
        var next = await plan.Apply(ctx);
        HealingMessages.WriteDecision(ctx, failedStep, d, "apply_fix", decision.Reason, plan, backup);
        SetPending(ctx, null);
        var saved = backup is null ? "" : $" The files it changed were saved first: obj/cdp/backups/{backup.Id}.";
        ctx.Log.Report(Diagnostic.Warning("CDP6003", $"{ctx.Phase}: applied the fix of {d.Code} ({d.Title}; {decision.Reason}): {plan.Summary}{saved} Resuming at {plan.ResumeAt}."));
        return next;
    }

    static void SetPending(StepContext ctx, PendingFix? pending)
    {
        if (pending is null && ctx.State.Load().Phase(ctx.Phase).PendingFix is null) return;
        ctx.State.Update(s => s.With(ctx.Phase, p => p with { PendingFix = pending }));
    }
}

using System.Runtime.ExceptionServices;
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
/// recorded, as a small state machine (each transition is a "heal" line in run_log.jsonl):
/// <code>
/// Resuming   → Running       apply a fix approved with -p:CdpApprove, choose where the phase resumes
/// Running    → Succeeded     the steps from the resume point to the requested one ran
///            → Diagnosing    one failed (transient failures were already retried with backoff)
/// Diagnosing → Fixing        its fix is approved, automatic, or (Autonomous) confident enough, and not yet tried
///            → Stopping      otherwise: unknown, only the user can fix it, or the fix needs approval
/// Fixing     → Running       files backed up, fix applied; resume at the step the fix needs
/// Stopping   → Skipped       CdpSkipFailedPhase names the phase: the failure is a warning
///            → Failed        (throws) the diagnosis, the proposed change and the switch that approves it
/// </code>
/// A proposal that needs approval waits in the phase's state for the rerun that approves it.
/// </summary>
public static class StepHealer
{
    /// <summary>Fixes one step may apply in one build: each diagnosis once, so a fix that does not help cannot loop.</summary>
    const int MaxFixes = 4;

    enum State { Resuming, Running, Diagnosing, Fixing, Stopping, Succeeded, Skipped, Failed }

    public static async Task<HealOutcome> RunAsync(StepContext ctx, Step step)
    {
        var run = new Run(ctx, step);
        var state = State.Resuming;
        while (state is not (State.Succeeded or State.Skipped))
        {
            var next = state switch
            {
                State.Resuming => await run.ResumeAsync(),
                State.Running => await run.RunStepsAsync(),
                State.Diagnosing => await run.DiagnoseAsync(),
                State.Fixing => await run.FixAsync(),
                _ => run.Stop(),
            };
            run.Record(state, next);
            state = next;
        }
        return new HealOutcome(run.Context, run.Ran) { Skipped = state == State.Skipped };
    }

    /// <summary>What one healed run of a step knows as it goes from state to state.</summary>
    sealed class Run(StepContext ctx, Step requested)
    {
        readonly Step _step = requested;
        readonly HashSet<string> _applied = new(StringComparer.Ordinal);
        Step _resumeAt = requested, _current = requested;
        DeferredLog? _log;
        CdpException? _error;
        Diagnosis.Diagnosis? _diagnosis;
        FixPlan? _plan;
        HealingDecision? _decision;

        public StepContext Context { get; private set; } = ctx;
        public List<Step> Ran { get; } = [];

        /// <summary>Resuming: an approved fix first; else a step whose secret was since provided or whose workflow failed last time.</summary>
        public async Task<State> ResumeAsync()
        {
            await ApplyApprovedAsync();
            if (_resumeAt == _step) _resumeAt = ResumePoints.AfterSecretProvided(Context, _step);
            if (_resumeAt == _step) _resumeAt = await ResumePoints.AfterFailedWorkflowAsync(Context, _step);
            return State.Running;
        }

        /// <summary>Running: each step from the resume point to the requested one; errors wait until we know whether they heal.</summary>
        public async Task<State> RunStepsAsync()
        {
            _log = new DeferredLog(Context.Log);
            var attempt = Context with { Log = _log };
            try
            {
                for (var current = _resumeAt; current <= _step; current++)
                {
                    _current = current;
                    await StepRetries.RunAsync(attempt, current, _log);
                    Ran.Remove(current);
                    Ran.Add(current);
                }
            }
            catch (CdpException e)
            {
                _error = e;
                return State.Diagnosing;
            }
            _log.Release(asErrors: true);
            SetPending(null);
            return State.Succeeded;
        }

        /// <summary>Diagnosing: the catalogue names the failure; the planner makes its fix concrete; the settings decide.</summary>
        public async Task<State> DiagnoseAsync()
        {
            var failure = Failure.Of(_error!.Diagnostic, Context.Phase, _current);
            if (failure.Kind == FailureKind.MissingColumn) failure = failure with { KnownColumns = await KnownColumns.OfPhaseAsync(Context) };
            _diagnosis = DiagnosisCatalog.Diagnose(failure);
            _plan = null;
            if (_diagnosis.Code == DiagnosisCatalog.Unknown)
                _decision = new HealingDecision(false, "the failure is not one the diagnosis catalogue knows");
            else if (_error.Diagnostic.Code == _diagnosis.Code)
                // A step that stops with a diagnosis of its own (a hand-edited file) already says what to approve.
                _decision = new HealingDecision(false, "the step asks for a decision");
            else
            {
                _plan = _diagnosis.Kind == FixKind.Impossible ? null : FixPlanner.Plan(Context, _diagnosis, _current);
                _decision = _plan is null
                    ? new HealingDecision(false, _diagnosis.Kind == FixKind.Impossible ? "only you can fix this" : "no change can be made for you")
                    : HealingDecision.For(_diagnosis, Context.Spec.Settings.Healing);
                if (_decision.Apply && _applied.Count < MaxFixes && _applied.Add(_diagnosis.Code)) return State.Fixing;
                if (_decision.Apply) _decision = new HealingDecision(false, $"its fix was already applied in this build and {_current} still fails");
            }
            return State.Stopping;
        }

        /// <summary>Fixing: the held errors become warnings, the fix is applied, the phase resumes where the fix needs.</summary>
        public async Task<State> FixAsync()
        {
            var failure = _error!.Diagnostic;
            _log!.Release(asErrors: false);
            Context.Log.Report(Diagnostic.Warning(failure.Code, $"{failure.Message} (diagnosed as {_diagnosis!.Code}; fixing it)", failure.Location));
            Context = await ApplyAsync(_current, _diagnosis, _plan!, _decision!);
            _resumeAt = _plan!.ResumeAt < _current ? _plan.ResumeAt : _current;
            return State.Running;
        }

        /// <summary>Stopping: the failure and the diagnosis are reported, the proposal kept; the phase is skipped or the build stops.</summary>
        public State Stop()
        {
            var failure = _error!.Diagnostic;
            var d = _diagnosis!;
            var selfDiagnosed = d.Code != DiagnosisCatalog.Unknown && failure.Code == d.Code;
            var stop = d.Code == DiagnosisCatalog.Unknown || selfDiagnosed ? failure
                : Diagnostic.Error(d.Code, HealingMessages.Stop(Context, _current, d, _plan, _decision!), _plan?.At ?? failure.Location);
            // Only the user can provide a secret, but the next build must upload it: remembered to resume at Deploy.
            var pending = selfDiagnosed ? new PendingFix(d, _current, failure.Message, DateTimeOffset.UtcNow)
                : _plan is not null ? new PendingFix(d, _current, _plan.Summary, DateTimeOffset.UtcNow)
                : d.Code == DiagnosisCatalog.MissingSecret ? new PendingFix(d, _current, d.Fix.Description, DateTimeOffset.UtcNow)
                : null;

            // CdpSkipFailedPhase naming this phase: the failure is reported as a warning and the phase is skipped, in this build already.
            var skipping = Context.Spec.Settings.Healing.SkipFailed.Contains(Context.Phase);
            _log!.Release(asErrors: !skipping);
            if (stop != failure) Context.Log.Report(skipping ? failure with { Severity = DiagnosticSeverity.Warning } : failure);
            HealingMessages.WriteDecision(Context, _current, d, "stop", _decision!.Reason, _plan, null);
            SetPending(pending);
            if (skipping)
            {
                Context.Log.Report(stop with { Severity = DiagnosticSeverity.Warning });
                PhaseSkip.TrySkip(Context, _current);
                return State.Skipped;
            }
            Record(State.Stopping, State.Failed);
            if (stop == failure) ExceptionDispatchInfo.Throw(_error);
            throw new CdpException(stop, _error);
        }

        // The pipeline's id, read from the state once it has one (it is empty until the build's first step starts).
        string? _pipelineId;

        public void Record(State from, State to) =>
            RunLog.Beside(Context.State.Path).Write("heal", _pipelineId is { Length: > 0 } known ? known : _pipelineId = Context.State.Load().PipelineId, Context.Phase.ToString(), _current.ToString(), new Dictionary<string, object?>
            {
                ["from"] = from.ToString(), ["to"] = to.ToString(), ["diagnosis"] = to is State.Fixing or State.Stopping ? _diagnosis?.Code : null,
            });

        /// <summary>A rerun with -p:CdpApprove=code applies the fix the last build proposed, before running anything.</summary>
        async Task ApplyApprovedAsync()
        {
            var pending = Context.State.Load().Phase(Context.Phase).PendingFix;
            if (pending is null || !Context.Spec.Settings.Healing.IsApproved(pending.Diagnosis.Code)) return;
            var plan = FixPlanner.Plan(Context, pending.Diagnosis, pending.Step);
            if (plan is null)
            {
                Context.Log.Report(Diagnostic.Warning("CDP6004", $"{Context.Phase}: the approved fix of {pending.Diagnosis.Code} no longer applies (the project changed since it was proposed); running {_step} as the project is now."));
                SetPending(null);
                return;
            }
            _applied.Add(pending.Diagnosis.Code);
            Context = await ApplyAsync(pending.Step, pending.Diagnosis, plan, new HealingDecision(true, $"approved with -p:CdpApprove={pending.Diagnosis.Code}"));
            _resumeAt = plan.ResumeAt < _step ? plan.ResumeAt : _step;
        }

        async Task<StepContext> ApplyAsync(Step failedStep, Diagnosis.Diagnosis d, FixPlan plan, HealingDecision decision)
        {
            var backup = plan.FilesTouched.Count > 0 ? new FileBackups(Context.BackupsDirectory).Save($"{d.Code} {d.Title}", plan.FilesTouched) : null;
            var next = await plan.Apply(Context);
            HealingMessages.WriteDecision(Context, failedStep, d, "apply_fix", decision.Reason, plan, backup);
            SetPending(null);
            var saved = backup is null ? "" : $" The files it changed were saved first: obj/cdp/backups/{backup.Id}.";
            Context.Log.Report(Diagnostic.Warning("CDP6003", $"{Context.Phase}: applied the fix of {d.Code} ({d.Title}; {decision.Reason}): {plan.Summary}{saved} Resuming at {plan.ResumeAt}."));
            return next;
        }

        void SetPending(PendingFix? pending)
        {
            if (pending is null && Context.State.Load().Phase(Context.Phase).PendingFix is null) return;
            Context.State.Update(s => s.With(Context.Phase, p => p with { PendingFix = pending }));
        }
    }
}

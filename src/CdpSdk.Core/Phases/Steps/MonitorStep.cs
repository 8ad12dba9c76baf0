using System.Diagnostics;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>Follows every session of the phase to its end and turns failures into coded errors.</summary>
internal static class MonitorStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        var phase = ctx.State.Load().Phase(ctx.Phase);
        if (phase.Sessions.Count == 0)
            throw new CdpException("CDP4010", $"{ctx.Phase}: no session has been started; run CdpExecute first.");
        using var backend = ctx.Backend();
        var finished = new List<State.SessionRecord>();
        foreach (var record in phase.Sessions)
        {
            var session = new SessionRef(record.SessionId, record.AttemptId, record.Workflow, record.SessionTime);
            var status = await WaitAsync(ctx, backend, session);
            finished.Add(record with { Status = status.State.ToString() });
            ctx.Log.Info($"{ctx.Phase}: {record.Workflow} {status.State.ToString().ToLowerInvariant()}, {status.Tasks.Count(t => t.State == "success")} of {status.Tasks.Count} tasks succeeded", important: true);
        }
        ctx.State.Update(s => s.With(ctx.Phase, p => p with { Sessions = finished }));
    }

    /// <summary>Polls until the session ends; an error or kill becomes a CDP4xxx error naming the failed tasks.</summary>
    public static async Task<RunStatus> WaitAsync(StepContext ctx, IWorkflowBackend backend, SessionRef session)
    {
        var settings = ctx.Spec.Settings;
        var clock = Stopwatch.StartNew();
        var interval = settings.PollInterval;
        var lastShown = TimeSpan.Zero;
        while (true)
        {
            var status = await backend.GetStatusAsync(session, ctx.Cancellation);
            switch (status.State)
            {
                case RunState.Success:
                    return status;
                case RunState.Killed:
                    throw new CdpException("CDP4003", $"{ctx.Phase}: workflow {session.Workflow} (attempt {session.AttemptId}) was killed.", cause: new FailureCause(FailureKind.Killed));
                case RunState.Error:
                    throw new CdpException("CDP4001", await DescribeFailureAsync(ctx, backend, session, status), InUserSql(ctx, status), cause: CauseOf(status));
            }
            ctx.Log.Progress(new WorkProgress(session.Workflow, RunningTask(status)));
            if (clock.Elapsed > settings.MonitorTimeout)
                throw new CdpException("CDP4002", $"{ctx.Phase}: workflow {session.Workflow} (attempt {session.AttemptId}) still running after {settings.MonitorTimeout.TotalMinutes:0} minutes (CdpMonitorTimeout).", cause: new FailureCause(FailureKind.Timeout));
            // Every poll goes to the detailed log; about once a minute one shows at normal verbosity, so a
            // long TD run visibly progresses without flooding the console.
            var shown = clock.Elapsed - lastShown >= TimeSpan.FromMinutes(1);
            if (shown) lastShown = clock.Elapsed;
            ctx.Log.Info($"{ctx.Phase}: {session.Workflow} running (attempt {session.AttemptId}), {clock.Elapsed:hh\\:mm\\:ss} elapsed", important: shown);
            await Task.Delay(interval, ctx.Cancellation);
            // Long runs are polled less often, up to ten times the configured interval.
            interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 3 / 2, settings.PollInterval.Ticks * 10));
        }
    }

    /// <summary>The innermost task a poll shows running (Digdag lists a group before its children); null between tasks.</summary>
    static string? RunningTask(RunStatus status) =>
        status.Tasks.LastOrDefault(t => t.State is "running" or "retry_waiting")?.FullName;

    /// <summary>The first failed task's cause that the target's adapter recognised; a workflow fails at its first error.</summary>
    static FailureCause CauseOf(RunStatus status) =>
        status.Tasks.Where(t => t.Error is not null).Select(t => t.Cause).FirstOrDefault(c => c is { Kind: not FailureKind.Unknown })
        ?? FailureCause.Unknown;

    /// <summary>A staging query the engine could not parse (the adapter's record says where) is reported at the user's transform file (TransformSql, or TransformHiveSql on Hive) and line.</summary>
    static SourceLocation? InUserSql(StepContext ctx, RunStatus status) =>
        ctx.Phase != Phase.Staging ? null
        : status.Tasks.Where(t => t.Error is not null && t.Cause?.Syntax is not null)
            .Select(t => TransformSqlLocation.Find(ctx.Spec, t.FullName, t.Cause!.Syntax!)).FirstOrDefault(l => l is not null);

    static async Task<string> DescribeFailureAsync(StepContext ctx, IWorkflowBackend backend, SessionRef session, RunStatus status)
    {
        var failed = status.Tasks.Where(t => t.State is "error" or "group_error" && t.Error is not null).ToList();
        var lines = new List<string> { $"{ctx.Phase}: workflow {session.Workflow} failed (session {session.SessionId}, attempt {session.AttemptId})." };
        foreach (var task in failed.Take(3))
        {
            var log = await backend.GetLogAsync(session, task.FullName, ctx.Cancellation);
            var tail = string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5));
            lines.Add($"Task {task.FullName}: {task.Error}" + (tail.Length > 0 ? $" Log tail: {tail}" : ""));
        }
        return string.Join(" ", lines);
    }
}

using System.Globalization;

namespace CdpSdk.Core.Backend;

/// <summary>
/// What a running Execute or Monitor step is doing now: the workflow and, when the target says, its task in
/// progress (Local: each task as it starts; TD: the task a poll shows running). It feeds the terminal logger's
/// live line for the phase; the log lines a step writes are unchanged by it.
/// </summary>
/// <param name="Task">Digdag's full task name (<c>+workflow+group+task</c>), or null between tasks.</param>
public sealed record WorkProgress(string Workflow, string? Task = null)
{
    /// <summary>The task as a user reads it under its workflow: the full name without the workflow's own <c>+workflow</c>.</summary>
    public string? TaskInWorkflow
    {
        get
        {
            if (Task is null) return null;
            var root = "+" + Workflow;
            var inner = Task.StartsWith(root, StringComparison.Ordinal) ? Task[root.Length..] : Task;
            return inner.Length == 0 ? null : inner;
        }
    }

    /// <summary>
    /// "workflow › +group+task, 12s", at most <paramref name="width"/> characters: a long task name loses its start
    /// (the innermost task is the one running), then the workflow its end; the elapsed time is always kept.
    /// </summary>
    public string LiveText(TimeSpan elapsed, int width)
    {
        var time = ", " + Elapsed(elapsed);
        var task = TaskInWorkflow;
        var workflow = Workflow;
        var room = Math.Max(width - time.Length, 8);
        if (task is null) return Fit(workflow, room) + time;
        const string separator = " › ";
        // The workflow keeps up to half the room; the task takes what is left, cut from its start.
        workflow = Fit(workflow, Math.Max(room / 2, room - separator.Length - task.Length));
        var taskRoom = room - workflow.Length - separator.Length;
        if (taskRoom < 4) return Fit(Workflow, room) + time;
        if (task.Length > taskRoom) task = "…" + task[^(taskRoom - 1)..];
        return workflow + separator + task + time;
    }

    /// <summary>12s under a minute; 3m 10s (in steps of ten seconds) under an hour; 1h 05m beyond.</summary>
    public static string Elapsed(TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        if (elapsed < TimeSpan.FromMinutes(1)) return string.Format(inv, "{0}s", (int)elapsed.TotalSeconds);
        if (elapsed < TimeSpan.FromHours(1)) return string.Format(inv, "{0}m {1:00}s", (int)elapsed.TotalMinutes, elapsed.Seconds / 10 * 10);
        return string.Format(inv, "{0}h {1:00}m", (int)elapsed.TotalHours, elapsed.Minutes);
    }

    static string Fit(string text, int width) => text.Length <= width ? text : text[..Math.Max(width - 1, 1)] + "…";
}

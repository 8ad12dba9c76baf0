using CdpSdk.Core.Diagnostics;
using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.State;

/// <summary>
/// Sessions (one per project, workflow and session time, as on TD), their attempts and task states.
/// Everything is written as it happens so another process can monitor a run in progress.
/// </summary>
internal sealed class Sessions(SystemDb db)
{
    public const string Running = "running", Success = "success", Error = "error", Killed = "killed";

    /// <summary>
    /// The session's current attempt when it succeeded or is still running on the same revision;
    /// otherwise a new attempt (a retry after an error, or a run of a newer revision). An attempt that was
    /// interrupted (its process ended, or it was canceled) on the same revision is resumed: the new attempt
    /// starts with the tasks that finished, which the runner then skips, as TD's "retry failed" does.
    /// </summary>
    public StartedAttempt FindOrStart(Revision revision, string workflow, DateTimeOffset sessionTime)
    {
        var time = SessionTimeText(sessionTime);
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        Sql.Execute(connection, "INSERT OR IGNORE INTO _cdp_system.sessions (project_id, workflow, session_time) VALUES ($p, $w, $t)",
            ("$p", long.Parse(revision.ProjectId, CultureInfo.InvariantCulture)), ("$w", workflow), ("$t", time));
        var sessionId = Convert.ToInt64(Sql.Scalar(connection, "SELECT id FROM _cdp_system.sessions WHERE project_id = $p AND workflow = $w AND session_time = $t",
            ("$p", long.Parse(revision.ProjectId, CultureInfo.InvariantCulture)), ("$w", workflow), ("$t", time)));

        long? resumeFrom = null;
        var last = Sql.Read(connection, "SELECT id, revision, state, pid FROM _cdp_system.attempts WHERE session_id = $s ORDER BY id DESC LIMIT 1", ("$s", sessionId));
        if (last.Count > 0)
        {
            var (attemptId, attemptRevision, state, pid) = (Convert.ToInt64(last[0][0]), (string)last[0][1]!, (string)last[0][2]!, Convert.ToInt32(last[0][3]));
            if (state == Running && !IsAlive(pid))
            {
                Finish(connection, attemptId, Killed, "The attempt was interrupted: the process running it ended before it finished.");
                state = Killed;
            }
            if (attemptRevision == revision.Name && state is Success or Running)
            {
                tx.Commit();
                return new StartedAttempt(Ref(sessionId, attemptId, workflow, sessionTime), false, null);
            }
            if (attemptRevision == revision.Name && state == Killed) resumeFrom = attemptId;
        }
        var newId = Convert.ToInt64(Sql.Scalar(connection, "INSERT INTO _cdp_system.attempts (session_id, revision, state, pid, started_at) VALUES ($s, $r, $st, $pid, $t) RETURNING id",
            ("$s", sessionId), ("$r", revision.Name), ("$st", Running), ("$pid", Environment.ProcessId), ("$t", SystemDb.Now())));
        if (resumeFrom is { } from)
            // Only finished tasks carry over; the interrupted ones and their groups run again.
            Sql.Execute(connection, """
                INSERT INTO _cdp_system.tasks (attempt_id, seq, full_name, state, error, log, started_at, finished_at, store)
                SELECT $new, seq, full_name, state, NULL, '(finished in attempt ' || CAST($old AS VARCHAR) || ')' || chr(10) || log, started_at, finished_at, store
                FROM _cdp_system.tasks WHERE attempt_id = $old AND state = $success
                """, ("$new", newId), ("$old", from), ("$success", Success));
        tx.Commit();
        return new StartedAttempt(Ref(sessionId, newId, workflow, sessionTime), true, resumeFrom?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The tasks an attempt starts with finished (carried over from the attempt it resumes), with their stored parameters.</summary>
    public IReadOnlyDictionary<string, string?> FinishedTasks(string attemptId)
    {
        using var connection = db.Open();
        var done = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in Sql.Read(connection, "SELECT full_name, store FROM _cdp_system.tasks WHERE attempt_id = $a AND state = $s ORDER BY seq", ("$a", Id(attemptId)), ("$s", Success)))
            done[(string)row[0]!] = row[1] as string;
        return done;
    }

    public void TaskStarted(string attemptId, string fullName)
    {
        using var connection = db.Open();
        var seq = Convert.ToInt64(Sql.Scalar(connection, "SELECT COALESCE(MAX(seq) + 1, 0) FROM _cdp_system.tasks WHERE attempt_id = $a", ("$a", Id(attemptId))));
        Sql.Execute(connection, "INSERT OR REPLACE INTO _cdp_system.tasks (attempt_id, seq, full_name, state, started_at) VALUES ($a, $seq, $n, $st, $t)",
            ("$a", Id(attemptId)), ("$seq", seq), ("$n", fullName), ("$st", Running), ("$t", SystemDb.Now()));
    }

    /// <param name="cause">A failed task's cause as a record (kept as JSON), so diagnosis never reads the error's words.</param>
    public void TaskFinished(string attemptId, string fullName, string state, string? error, string log, string? store, FailureCause? cause = null)
    {
        using var connection = db.Open();
        Sql.Execute(connection, "UPDATE _cdp_system.tasks SET state = $st, error = $e, log = $l, finished_at = $t, store = $store, cause = $c WHERE attempt_id = $a AND full_name = $n",
            ("$a", Id(attemptId)), ("$n", fullName), ("$st", state), ("$e", error), ("$l", log), ("$t", SystemDb.Now()), ("$store", store),
            ("$c", cause is null ? null : System.Text.Json.JsonSerializer.Serialize(cause)));
    }

    /// <summary>
    /// Marks a task finished inside the transaction that commits its effect (the system tables are in the same file), so a kill can never leave the effect without the mark: a resumed
    /// attempt skips exactly the tasks whose rows are in the warehouse.
    /// </summary>
    public static void MarkFinished(DuckDBConnection connection, string attemptId, string fullName, string? store) =>
        Sql.Execute(connection, $"UPDATE {SystemDb.Alias}.tasks SET state = $st, store = $store, finished_at = $t WHERE attempt_id = $a AND full_name = $n",
            ("$a", Id(attemptId)), ("$n", fullName), ("$st", Success), ("$store", store), ("$t", SystemDb.Now()));

    public void Finish(string attemptId, string state, string? error)
    {
        using var connection = db.Open();
        Finish(connection, long.Parse(attemptId, CultureInfo.InvariantCulture), state, error);
    }

    static void Finish(DuckDBConnection connection, long attemptId, string state, string? error) =>
        Sql.Execute(connection, "UPDATE _cdp_system.attempts SET state = $st, error = $e, finished_at = $t WHERE id = $a AND state = $running",
            ("$a", attemptId), ("$st", state), ("$e", error), ("$t", SystemDb.Now()), ("$running", Running));

    public RunStatus Status(SessionRef session)
    {
        using var connection = db.Open();
        var state = Sql.Scalar(connection, "SELECT state FROM _cdp_system.attempts WHERE id = $a", ("$a", Id(session.AttemptId))) as string
            ?? throw new Core.Diagnostics.CdpException(LocalErrors.NotDeployed, $"Attempt {session.AttemptId} of session {session.SessionId} does not exist in the Local warehouse.");
        var tasks = new List<TaskState>();
        foreach (var row in Sql.Read(connection, "SELECT full_name, state, error, cause FROM _cdp_system.tasks WHERE attempt_id = $a ORDER BY seq", ("$a", Id(session.AttemptId))))
            tasks.Add(new TaskState((string)row[0]!, (string)row[1]!, row[2] as string, row[3] is string cause ? System.Text.Json.JsonSerializer.Deserialize<FailureCause>(cause) : null));
        var error = Sql.Scalar(connection, "SELECT error FROM _cdp_system.attempts WHERE id = $a", ("$a", Id(session.AttemptId))) as string;
        // The attempt's own error (e.g. an interrupted run) shows as a task so Monitor can report it.
        if (error is not null && tasks.All(t => t.State != Error)) tasks.Add(new TaskState("+" + session.Workflow, Error, error));
        return new RunStatus(state switch { Success => RunState.Success, Error => RunState.Error, Killed => RunState.Killed, _ => RunState.Running }, tasks);
    }

    /// <summary>A task's log; with an empty task name, every task's log in order.</summary>
    public string Log(SessionRef session, string taskFullName)
    {
        using var connection = db.Open();
        var text = new System.Text.StringBuilder();
        foreach (var row in Sql.Read(connection,
            "SELECT full_name, log, error FROM _cdp_system.tasks WHERE attempt_id = $a AND ($n = '' OR full_name = $n) ORDER BY seq",
            ("$a", Id(session.AttemptId)), ("$n", taskFullName)))
        {
            if (taskFullName.Length == 0) text.Append("== ").Append((string)row[0]!).Append('\n');
            text.Append((string)row[1]!);
            if (row[2] is string error) text.Append("error: ").Append(error).Append('\n');
        }
        return text.ToString();
    }

    static long Id(string id) => long.Parse(id, CultureInfo.InvariantCulture);

    public static string SessionTimeText(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    /// <summary>The attempt to run or watch; <paramref name="ResumedFrom"/> names the interrupted attempt it continues.</summary>
    public sealed record StartedAttempt(SessionRef Session, bool IsNew, string? ResumedFrom);

    static SessionRef Ref(long sessionId, long attemptId, string workflow, DateTimeOffset time) =>
        new(sessionId.ToString(CultureInfo.InvariantCulture), attemptId.ToString(CultureInfo.InvariantCulture), workflow, time);

    static bool IsAlive(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}

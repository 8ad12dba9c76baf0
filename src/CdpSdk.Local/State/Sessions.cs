using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Backend;

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
        SystemDb.Execute(connection, "INSERT OR IGNORE INTO sessions (project_id, workflow, session_time) VALUES ($p, $w, $t)",
            ("$p", revision.ProjectId), ("$w", workflow), ("$t", time));
        var sessionId = Convert.ToInt64(SystemDb.Scalar(connection, "SELECT id FROM sessions WHERE project_id = $p AND workflow = $w AND session_time = $t",
            ("$p", revision.ProjectId), ("$w", workflow), ("$t", time)));

        long? resumeFrom = null;
        using (var last = SystemDb.Command(connection, "SELECT id, revision, state, pid FROM attempts WHERE session_id = $s ORDER BY id DESC LIMIT 1", ("$s", sessionId)))
        using (var reader = last.ExecuteReader())
        {
            if (reader.Read())
            {
                var (attemptId, attemptRevision, state, pid) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3));
                reader.Close();
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
        }
        SystemDb.Execute(connection, "INSERT INTO attempts (session_id, revision, state, pid, started_at) VALUES ($s, $r, $st, $pid, $t)",
            ("$s", sessionId), ("$r", revision.Name), ("$st", Running), ("$pid", Environment.ProcessId), ("$t", SystemDb.Now()));
        var newId = Convert.ToInt64(SystemDb.Scalar(connection, "SELECT last_insert_rowid()"));
        if (resumeFrom is { } from)
            // Only finished tasks carry over; the interrupted ones and their groups run again.
            SystemDb.Execute(connection, """
                INSERT INTO tasks (attempt_id, seq, full_name, state, error, log, started_at, finished_at, store)
                SELECT $new, seq, full_name, state, NULL, '(finished in attempt ' || $old || ')' || char(10) || log, started_at, finished_at, store
                FROM tasks WHERE attempt_id = $old AND state = $success
                """, ("$new", newId), ("$old", from), ("$success", Success));
        tx.Commit();
        return new StartedAttempt(Ref(sessionId, newId, workflow, sessionTime), true, resumeFrom?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The tasks an attempt starts with finished (carried over from the attempt it resumes), with their stored parameters.</summary>
    public IReadOnlyDictionary<string, string?> FinishedTasks(string attemptId)
    {
        using var connection = db.Open();
        using var command = SystemDb.Command(connection, "SELECT full_name, store FROM tasks WHERE attempt_id = $a AND state = $s ORDER BY seq", ("$a", attemptId), ("$s", Success));
        using var reader = command.ExecuteReader();
        var done = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (reader.Read()) done[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        return done;
    }

    public void TaskStarted(string attemptId, string fullName)
    {
        using var connection = db.Open();
        var seq = Convert.ToInt64(SystemDb.Scalar(connection, "SELECT COALESCE(MAX(seq) + 1, 0) FROM tasks WHERE attempt_id = $a", ("$a", attemptId)));
        SystemDb.Execute(connection, "INSERT OR REPLACE INTO tasks (attempt_id, seq, full_name, state, started_at) VALUES ($a, $seq, $n, $st, $t)",
            ("$a", attemptId), ("$seq", seq), ("$n", fullName), ("$st", Running), ("$t", SystemDb.Now()));
    }

    public void TaskFinished(string attemptId, string fullName, string state, string? error, string log, string? store)
    {
        using var connection = db.Open();
        SystemDb.Execute(connection, "UPDATE tasks SET state = $st, error = $e, log = $l, finished_at = $t, store = $store WHERE attempt_id = $a AND full_name = $n",
            ("$a", attemptId), ("$n", fullName), ("$st", state), ("$e", error), ("$l", log), ("$t", SystemDb.Now()), ("$store", store));
    }

    /// <summary>
    /// Marks a task finished inside the transaction that commits its effect (the system database attached
    /// as <see cref="SystemDb.Alias"/>), so a kill can never leave the effect without the mark: a resumed
    /// attempt skips exactly the tasks whose rows are in the warehouse.
    /// </summary>
    public static void MarkFinished(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction tx, string attemptId, string fullName, string? store)
    {
        using var command = SystemDb.Command(connection, $"UPDATE \"{SystemDb.Alias}\".tasks SET state = $st, store = $store, finished_at = $t WHERE attempt_id = $a AND full_name = $n",
            ("$a", attemptId), ("$n", fullName), ("$st", Success), ("$store", store), ("$t", SystemDb.Now()));
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }

    public void Finish(string attemptId, string state, string? error)
    {
        using var connection = db.Open();
        Finish(connection, long.Parse(attemptId, CultureInfo.InvariantCulture), state, error);
    }

    static void Finish(Microsoft.Data.Sqlite.SqliteConnection connection, long attemptId, string state, string? error) =>
        SystemDb.Execute(connection, "UPDATE attempts SET state = $st, error = $e, finished_at = $t WHERE id = $a AND state = $running",
            ("$a", attemptId), ("$st", state), ("$e", error), ("$t", SystemDb.Now()), ("$running", Running));

    public RunStatus Status(SessionRef session)
    {
        using var connection = db.Open();
        var state = SystemDb.Scalar(connection, "SELECT state FROM attempts WHERE id = $a", ("$a", session.AttemptId)) as string
            ?? throw new Core.Diagnostics.CdpException(LocalErrors.NotDeployed, $"Attempt {session.AttemptId} of session {session.SessionId} does not exist in the Local warehouse.");
        var tasks = new List<TaskState>();
        using (var command = SystemDb.Command(connection, "SELECT full_name, state, error FROM tasks WHERE attempt_id = $a ORDER BY seq", ("$a", session.AttemptId)))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) tasks.Add(new TaskState(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        var error = SystemDb.Scalar(connection, "SELECT error FROM attempts WHERE id = $a", ("$a", session.AttemptId)) as string;
        // The attempt's own error (e.g. an interrupted run) shows as a task so Monitor can report it.
        if (error is not null && tasks.All(t => t.State != Error)) tasks.Add(new TaskState("+" + session.Workflow, Error, error));
        return new RunStatus(state switch { Success => RunState.Success, Error => RunState.Error, Killed => RunState.Killed, _ => RunState.Running }, tasks);
    }

    /// <summary>A task's log; with an empty task name, every task's log in order.</summary>
    public string Log(SessionRef session, string taskFullName)
    {
        using var connection = db.Open();
        using var command = SystemDb.Command(connection,
            "SELECT full_name, log, error FROM tasks WHERE attempt_id = $a AND ($n = '' OR full_name = $n) ORDER BY seq",
            ("$a", session.AttemptId), ("$n", taskFullName));
        using var reader = command.ExecuteReader();
        var text = new System.Text.StringBuilder();
        while (reader.Read())
        {
            if (taskFullName.Length == 0) text.Append("== ").Append(reader.GetString(0)).Append('\n');
            text.Append(reader.GetString(1));
            if (!reader.IsDBNull(2)) text.Append("error: ").Append(reader.GetString(2)).Append('\n');
        }
        return text.ToString();
    }

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

using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Backend;

/// <summary>A deployed workflow project revision (TD: project id + revision name).</summary>
public sealed record Revision(string ProjectId, string ProjectName, string Name);

/// <summary>A started run of one workflow at one session time (TD: session + attempt).</summary>
public sealed record SessionRef(string SessionId, string AttemptId, string Workflow, DateTimeOffset SessionTime);

public enum RunState { Running, Success, Error, Killed }

/// <param name="Cause">The failure as a record, from the target's adapter (Local: the engine; TD: the task's error text).</param>
public sealed record TaskState(string FullName, string State, string? Error, FailureCause? Cause = null);

public sealed record RunStatus(RunState State, IReadOnlyList<TaskState> Tasks);

public sealed record TableInfo(string Database, string Name, long Rows, IReadOnlyList<string> Columns);

public sealed record QueryResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public object? Scalar => Rows.Count > 0 && Rows[0].Length > 0 ? Rows[0][0] : null;
}

/// <summary>
/// What a target (Local DuckDB warehouse or Treasure Data) must do for the phase runner. The same
/// Generate → Deploy → Execute → Monitor → Validate code drives both through this interface.
/// </summary>
public interface IWorkflowBackend : IDisposable
{
    /// <summary>Stores the project folder as a revision named from its content; deploying identical content again returns the same revision.</summary>
    Task<Revision> DeployAsync(string projectName, string projectDirectory, CancellationToken ct);

    /// <summary>Starts a workflow of a revision. Starting the same workflow, revision and session time again returns the existing session.</summary>
    Task<SessionRef> StartAsync(Revision revision, string workflow, DateTimeOffset sessionTime, CancellationToken ct);

    Task<RunStatus> GetStatusAsync(SessionRef session, CancellationToken ct);

    Task<string> GetLogAsync(SessionRef session, string taskFullName, CancellationToken ct);

    Task KillAsync(SessionRef session, CancellationToken ct);

    Task<QueryResult> QueryAsync(string database, string sql, CancellationToken ct);

    /// <summary>Tables of a database with exact row counts; an absent database gives an empty list.</summary>
    Task<IReadOnlyList<TableInfo>> ListTablesAsync(string database, CancellationToken ct);
}

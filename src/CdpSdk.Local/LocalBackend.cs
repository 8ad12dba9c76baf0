using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Local.Runner;
using CdpSdk.Local.Runner.Operators;
using CdpSdk.Local.State;
using CdpSdk.Local.Unification;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local;

/// <summary>
/// The embedded target: a DuckDB warehouse (one file, one schema per TD database) and a Digdag runner that executes
/// deployed workflow projects. Runs happen synchronously inside <see cref="StartAsync"/>; status and logs
/// are read back from the system database like they would be from TD's workflow API.
/// </summary>
public sealed class LocalBackend : IWorkflowBackend
{
    readonly DuckDbWarehouse _warehouse;
    readonly SystemDb _system;
    readonly string _dataRoot;
    readonly ICdpLog _log;
    readonly IReadOnlyList<IOperator> _extraOperators = [];

    /// <summary>A backend with operators beyond Digdag's, for tests that need a task to act at a set point (a seam, not a feature).</summary>
    internal LocalBackend(string warehouseDir, string dataRoot, ICdpLog log, IReadOnlyList<IOperator> extraOperators, string client = DefaultClient) : this(warehouseDir, dataRoot, log, client) =>
        _extraOperators = extraOperators;

    /// <summary>The client a backend made without one names its warehouse file after (tests, tools).</summary>
    public const string DefaultClient = "local";

    /// <param name="warehouseDir">Where the warehouse file lives (created on first use).</param>
    /// <param name="dataRoot">The .cdpproj folder; load-config paths resolve against it.</param>
    /// <param name="client">CdpClient: the warehouse file is &lt;client&gt;-cdp.duckdb in <paramref name="warehouseDir"/>.</param>
    /// <param name="storage">CdpWarehouseStorage: how the tables written store text.</param>
    public LocalBackend(string warehouseDir, string dataRoot, ICdpLog log, string client = DefaultClient, WarehouseStorage storage = WarehouseStorage.Fast)
    {
        _warehouse = new DuckDbWarehouse(warehouseDir, client, storage);
        _system = new SystemDb(_warehouse);
        _dataRoot = Path.GetFullPath(dataRoot);
        _log = log;
    }

    public Task<Revision> DeployAsync(string projectName, string projectDirectory, CancellationToken ct)
    {
        return Task.FromResult(Deploy(projectName, projectDirectory));
    }

    Revision Deploy(string projectName, string projectDirectory)
    {
        var root = Path.GetFullPath(projectDirectory);
        if (!Directory.Exists(root))
            throw new CdpException("CDP2002", $"The workflow project folder '{root}' does not exist; run the Generate step first.");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        var revision = new Revisions(_system).Deploy(projectName, files);
        _log.Info($"Deployed {projectName} ({files.Count} files) as revision {revision.Name}");
        return revision;
    }

    public Task<SessionRef> StartAsync(Revision revision, string workflow, DateTimeOffset sessionTime, CancellationToken ct)
    {
        return Start(revision, workflow, sessionTime, ct);
    }

    Task<SessionRef> Start(Revision revision, string workflow, DateTimeOffset sessionTime, CancellationToken ct)
    {
        var files = new Revisions(_system).Files(revision);
        var sessions = new Sessions(_system);
        var (session, isNew, resumedFrom) = sessions.FindOrStart(revision, workflow, sessionTime);
        if (!isNew)
        {
            _log.Info($"{revision.ProjectName}/{workflow} session {session.SessionId} at {Sessions.SessionTimeText(sessionTime)} already ran or is running (attempt {session.AttemptId})");
            return Task.FromResult(session);
        }

        var carried = sessions.FinishedTasks(session.AttemptId);
        _log.Info(resumedFrom is null
            ? $"Running {revision.ProjectName}/{workflow} session {session.SessionId}, attempt {session.AttemptId}"
            : $"Resuming {revision.ProjectName}/{workflow} session {session.SessionId} as attempt {session.AttemptId}: {carried.Count} tasks finished in interrupted attempt {resumedFrom}", important: resumedFrom is not null);
        var run = new RunContext
        {
            Files = new ProjectFiles(files),
            DataRoot = _dataRoot,
            Warehouse = _warehouse,
            Watermarks = new Watermarks(_system),
            Unification = new UnificationEngine(_warehouse),
            Recorder = new AttemptRecorder(sessions, session.AttemptId, carried),
            Log = _log,
            Builtins = RunContext.SessionVariables(sessionTime, session.SessionId, session.AttemptId, revision.ProjectId, revision.ProjectName),
            Cancellation = ct,
        };
        string? error;
        try
        {
            error = new WorkflowRunner(run, Operators().Concat(_extraOperators)).Run(workflow);
        }
        catch (OperationCanceledException)
        {
            sessions.Finish(session.AttemptId, Sessions.Killed, "Canceled while running.");
            throw;
        }
        sessions.Finish(session.AttemptId, error is null ? Sessions.Success : Sessions.Error, error);
        _log.Info($"{revision.ProjectName}/{workflow} attempt {session.AttemptId}: {(error is null ? "success" : "error: " + error)}");
        return Task.FromResult(session);
    }

    /// <summary>The warehouse's DuckDB file (open it with the DuckDB CLI or any DuckDB client).</summary>
    public string WarehouseFile => _warehouse.File;

    public Task<RunStatus> GetStatusAsync(SessionRef session, CancellationToken ct)
    {
        var status = new Sessions(_system).Status(session);
        return Task.FromResult(status);
    }

    public Task<string> GetLogAsync(SessionRef session, string taskFullName, CancellationToken ct) => Task.FromResult(new Sessions(_system).Log(session, taskFullName));

    /// <summary>Runs are synchronous, so a kill can only mark an attempt another process left running.</summary>
    public Task KillAsync(SessionRef session, CancellationToken ct)
    {
        new Sessions(_system).Finish(session.AttemptId, Sessions.Killed, "Killed.");
        return Task.CompletedTask;
    }

    public Task<QueryResult> QueryAsync(string database, string sql, CancellationToken ct) => Task.FromResult(_warehouse.Query(database, sql));

    public Task<IReadOnlyList<TableInfo>> ListTablesAsync(string database, CancellationToken ct) => Task.FromResult(_warehouse.ListTables(database));

    /// <summary>Closes the warehouse file (its last connection), releasing DuckDB's lock on it for other processes.</summary>
    public void Dispose() => _warehouse.Dispose();

    static IEnumerable<IOperator> Operators() =>
        [new TdOperator(), new TdLoadOperator(), new TdDdlOperator(), new EchoOperator(), new CallOperator(), new HttpCallOperator(),
         new LoopOperator(), new ForEachOperator(), new IfOperator()];

    sealed class AttemptRecorder(Sessions sessions, string attemptId, IReadOnlyDictionary<string, string?> carried) : ITaskRecorder
    {
        public IReadOnlyDictionary<string, string?> Carried => carried;

        public void Started(string fullName) => sessions.TaskStarted(attemptId, fullName);

        public void Finished(string fullName, string state, string? error, string log, string? store, FailureCause? cause = null) => sessions.TaskFinished(attemptId, fullName, state, error, log, store, cause);

        public void MarkFinished(DuckDB.NET.Data.DuckDBConnection connection, string fullName, string store) =>
            Sessions.MarkFinished(connection, attemptId, fullName, store);
    }
}

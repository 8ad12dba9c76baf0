using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.TreasureData.Clients;
using CdpSdk.TreasureData.Deploy;
using CdpSdk.TreasureData.Http;

namespace CdpSdk.TreasureData;

/// <summary>
/// The TreasureData target: deploys generated projects to TD Workflow, starts and follows attempts,
/// and runs validation queries on Presto through the v3 API. Every call is safe to repeat: a push of
/// an existing revision, a start of an existing session and a retried query issue all give back what
/// the first one made.
/// </summary>
public sealed class TreasureDataBackend : IWorkflowBackend
{
    readonly GlobalSettings _settings;
    readonly ICdpLog _log;
    readonly WorkflowClient _workflow;
    readonly V3Client _v3;
    readonly SecretSource _secrets;
    // Part of every query's domain key: a retried issue reuses its key, a later build never does.
    readonly string _runNonce = Guid.NewGuid().ToString("N")[..12];

    public TreasureDataBackend(GlobalSettings settings, ApiKey key, ICdpLog log, Func<string, string?>? environment = null)
    {
        _settings = settings;
        _log = log;
        var policy = HttpPolicy.From(settings.TreasureData);
        _workflow = new WorkflowClient(new TdHttp("workflow", settings.Endpoints.Workflow, key, policy, log));
        _v3 = new V3Client(new TdHttp("v3", settings.Endpoints.Api, key, policy, log));
        _secrets = new SecretSource(key, settings.TreasureData.SecretsFile, environment ?? Environment.GetEnvironmentVariable);
    }

    /// <summary>Query jobs are polled this often at first, backing off to <see cref="MaxJobPoll"/>.</summary>
    public TimeSpan FirstJobPoll { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxJobPoll { get; init; } = TimeSpan.FromSeconds(15);

    public async Task<Revision> DeployAsync(string projectName, string projectDirectory, CancellationToken ct)
    {
        if (!Directory.Exists(projectDirectory))
            throw new CdpException("CDP2002", $"The workflow project folder '{projectDirectory}' does not exist; run the Generate step first.");
        var entries = ProjectArchive.Entries(projectDirectory);
        var revision = ProjectArchive.Revision(entries);
        var needs = ProjectNeeds.Read(entries);

        // Everything that can fail for a reason the user must fix is checked before anything is pushed.
        var secrets = ResolveSecrets(projectName, needs.Secrets);
        await EnsureDatabasesAsync(projectName, needs.Databases, ct);

        var project = await _workflow.FindProjectAsync(projectName, ct);
        if (project?.Revision == revision)
            _log.Info($"{projectName}: revision {revision} is already the latest on TD; nothing pushed");
        else
        {
            var archive = ProjectArchive.Build(entries);
            project = await _workflow.PushAsync(projectName, revision, archive, ct);
            _log.Info($"{projectName}: pushed {entries.Count} files ({archive.Length / 1024.0:0.0} KiB) as revision {revision} (project {project.Id})");
        }

        foreach (var (key, value) in secrets)
        {
            await _workflow.PutSecretAsync(project.Id, key, value, ct);
            _log.Info($"{projectName}: set secret {key}");
        }
        return new Revision(project.Id, projectName, revision);
    }

    List<(string Key, string Value)> ResolveSecrets(string projectName, IReadOnlyList<string> keys)
    {
        var bad = keys.Where(k => !SecretSource.IsValidKey(k)).ToList();
        if (bad.Count > 0)
            throw new CdpException("CDP2012", $"{projectName}: secret keys {string.Join(", ", bad)} are not valid TD secret keys (dot-separated names of letters, digits, '_' and '-', at most 255 characters).");
        var found = keys.Select(k => (Key: k, Value: _secrets.Find(k))).ToList();
        var missing = found.Where(f => f.Value is null).Select(f => f.Key).ToList();
        if (missing.Count > 0)
            throw new CdpException("CDP2011", TdMessages.Current.MissingSecrets(projectName, missing, missing.Select(SecretSource.EnvironmentName).ToList()),
                cause: new FailureCause(FailureKind.MissingSecret, missing[0]));
        var tooLong = found.Where(f => Encoding.UTF8.GetByteCount(f.Value!) > SecretSource.MaxValueBytes).Select(f => f.Key).ToList();
        if (tooLong.Count > 0)
            throw new CdpException("CDP2012", $"{projectName}: the values of secrets {string.Join(", ", tooLong)} are longer than TD's 16 KiB.");
        return found.Select(f => (f.Key, f.Value!)).ToList();
    }

    async Task EnsureDatabasesAsync(string projectName, IReadOnlyList<string> needed, CancellationToken ct)
    {
        if (needed.Count == 0) return;
        var existing = (await _v3.ListDatabasesAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var missing = needed.Where(d => !existing.Contains(d)).ToList();
        if (missing.Count == 0) return;
        if (!_settings.TreasureData.CreateMissingDatabases)
            throw new CdpException("CDP2010", TdMessages.Current.MissingDatabases(projectName, missing), cause: new FailureCause(FailureKind.MissingDatabase, missing[0]));
        foreach (var database in missing)
        {
            await _v3.CreateDatabaseAsync(database, ct);
            _log.Info($"{projectName}: created database {database} (CdpCreateMissingDatabases)", important: true);
        }
    }

    public async Task<SessionRef> StartAsync(Revision revision, string workflow, DateTimeOffset sessionTime, CancellationToken ct)
    {
        var wf = await _workflow.FindWorkflowAsync(revision.ProjectId, workflow, revision.Name, ct)
                 ?? throw new CdpException("CDP3100", $"Workflow {workflow} is not in revision {revision.Name} of project {revision.ProjectName} on TD. Deploy again (delete obj/cdp/{{phase}}/deploy.stamp, or run -t:CdpPipeline after a change).");
        var time = SessionTimeText(sessionTime);
        var attempt = await _workflow.StartAttemptAsync(wf.Id, time, null, null, ct);
        if (attempt.Failed)
            attempt = await RetryFailedSessionAsync(wf.Id, time, attempt, ct);
        _log.Info($"{revision.ProjectName}/{workflow}: session {attempt.SessionId} at {time}, attempt {attempt.Id}{(attempt.Done ? " (already finished)" : "")}");
        return new SessionRef(attempt.SessionId, attempt.Id, workflow, sessionTime);
    }

    /// <summary>
    /// The session of this run exists and its first attempt failed or was killed: a rerun of Execute means
    /// "try again", so the failed tasks are resumed in a new attempt — unless a later attempt already runs
    /// or succeeded, which is then reattached.
    /// </summary>
    async Task<WfAttempt> RetryFailedSessionAsync(string workflowId, string time, WfAttempt failed, CancellationToken ct)
    {
        var session = await _workflow.GetSessionAsync(failed.SessionId, ct);
        if (session.LastAttempt is { } last && last.Id != failed.Id && (!last.Done || last.Success))
            return await _workflow.GetAttemptAsync(last.Id, ct);
        var lastId = session.LastAttempt?.Id ?? failed.Id;
        // One name per call: a retried request with the same name gets this attempt back (409), never a second one.
        var name = "cdp-retry-" + Guid.NewGuid().ToString("N")[..10];
        _log.Info($"Session {failed.SessionId} ended in {(failed.Killed ? "a kill" : "an error")} earlier; resuming its failed tasks as attempt '{name}'", important: true);
        return await _workflow.StartAttemptAsync(workflowId, time, name, lastId, ct);
    }

    internal static string SessionTimeText(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public async Task<RunStatus> GetStatusAsync(SessionRef session, CancellationToken ct)
    {
        var attempt = await _workflow.GetAttemptAsync(session.AttemptId, ct);
        var state = attempt.Success ? RunState.Success : attempt.Killed ? RunState.Killed : attempt.Done ? RunState.Error : RunState.Running;
        // A running attempt's tasks only name the task in progress, for a live display: not fetched for a build nobody watches.
        if (state == RunState.Running && !_log.ShowsProgress) return new RunStatus(state, []);
        var tasks = await _workflow.GetTasksAsync(session.AttemptId, ct);
        return new RunStatus(state, tasks.Select(t => new TaskState(t.FullName, t.State, Describe(t.Error?.Message), t.Error is null ? null : TdTaskErrors.Parse(t.Error.Message))).ToList());
    }

    static string? Describe(string? error) =>
        error is null ? null : FailureHints.For(error) is { } hint ? $"{error} {hint}" : error;

    public async Task<string> GetLogAsync(SessionRef session, string taskFullName, CancellationToken ct)
    {
        var files = await _workflow.ListLogFilesAsync(session.AttemptId, taskFullName, ct);
        var text = new StringBuilder();
        // ?task= matches by prefix; the task's own files are the ones wanted (its last few are enough for a tail).
        var own = files.Where(f => f.TaskName == taskFullName).ToList();
        foreach (var file in (own.Count > 0 ? own : files).TakeLast(3))
            text.Append(await _workflow.ReadLogFileAsync(session.AttemptId, file, ct));
        return text.ToString();
    }

    public Task KillAsync(SessionRef session, CancellationToken ct) => _workflow.KillAsync(session.AttemptId, ct);

    public async Task<QueryResult> QueryAsync(string database, string sql, CancellationToken ct)
    {
        var domainKey = $"cdpsdk-{_runNonce}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(database + "\n" + sql)))[..20]}";
        var jobId = await _v3.IssueQueryAsync("presto", database, sql, domainKey, ct);
        var started = DateTimeOffset.UtcNow;
        var wait = FirstJobPoll;
        while (true)
        {
            var status = await _v3.GetJobStatusAsync(jobId, ct);
            if (status.Status == "success") break;
            if (status.Status is "error" or "killed")
            {
                var show = await _v3.ShowJobAsync(jobId, ct);
                var stderr = (show.Debug?.Stderr ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(5);
                // The job's own words name what it lacked (a table an upstream phase did not leave, say); otherwise a failed check query.
                var cause = TdTaskErrors.Parse(string.Join("\n", stderr));
                throw new CdpException("CDP5100", $"Validation query job {jobId} on {database} ended with {status.Status}: {string.Join(" | ", stderr)} Query: {sql}",
                    cause: cause.Kind == FailureKind.Unknown ? new FailureCause(FailureKind.Validation, Detail: cause.Detail) : cause);
            }
            if (DateTimeOffset.UtcNow - started > _settings.MonitorTimeout)
                throw new CdpException("CDP5102", $"Validation query job {jobId} on {database} is still {status.Status} after {_settings.MonitorTimeout.TotalMinutes:0} minutes (CdpMonitorTimeout). Build again: it runs a new query.");
            await Task.Delay(wait, ct);
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, MaxJobPoll.Ticks));
        }
        var detail = await _v3.ShowJobAsync(jobId, ct);
        var rows = await _v3.GetJobResultAsync(jobId, ct);
        return new QueryResult(SchemaColumns(detail.HiveResultSchema, 0), rows);
    }

    public async Task<IReadOnlyList<TableInfo>> ListTablesAsync(string database, CancellationToken ct)
    {
        var tables = await _v3.ListTablesAsync(database, ct);
        return tables is null ? [] : tables.Select(t => new TableInfo(database, t.Name, t.Count, SchemaColumns(t.Schema, 0))).ToList();
    }

    /// <summary>TD's schemas are JSON strings of arrays ([[name, type, alias], …]); the name is element <paramref name="index"/>.</summary>
    static IReadOnlyList<string> SchemaColumns(string? schema, int index)
    {
        if (string.IsNullOrEmpty(schema)) return [];
        try
        {
            using var doc = JsonDocument.Parse(schema);
            return doc.RootElement.EnumerateArray().Select(c => c[index].GetString() ?? "").ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IndexOutOfRangeException)
        {
            return [];
        }
    }

    public void Dispose()
    {
        _workflow.Http.Dispose();
        _v3.Http.Dispose();
    }
}

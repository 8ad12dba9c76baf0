using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CdpSdk.TreasureData.Fake;

/// <summary>The workflow API (Digdag server's /api/… resources), as far as CdpSdk and its tests use it.</summary>
public sealed partial class FakeTdServer
{
    [GeneratedRegex(@"^[A-Za-z]([A-Za-z0-9_\-]*[A-Za-z0-9])?(\.[A-Za-z]([A-Za-z0-9_\-]*[A-Za-z0-9])?)*$")]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"^\(Line: .*?\): ")]
    private static partial Regex YamlMarks();

    [GeneratedRegex(@"^(\s*(?:-\s*)?)!include\s*:", RegexOptions.Multiline)]
    private static partial Regex IncludeKey();

    static IResult Fail(int status, string message) => Results.Json(new { message, status }, statusCode: status);

    void MapWorkflowApi(WebApplication app)
    {
        app.MapGet("/api/projects", (string? name) =>
        {
            lock (Gate) return Results.Json(new { projects = Projects.Where(p => name is null || p.Name == name).Select(ProjectJson).ToList() });
        });
        app.MapPut("/api/projects", PushAsync);
        app.MapGet("/api/projects/{id}/workflows", (string id, string? name, string? revision) =>
        {
            lock (Gate)
            {
                var project = Projects.FirstOrDefault(p => p.Id == id);
                if (project is null) return Fail(404, $"project not found: {id}");
                var rev = revision is null ? project.Latest : project.Revisions.FirstOrDefault(r => r.Name == revision);
                if (rev is null) return Fail(404, $"revision not found: {revision}");
                var list = rev.Workflows.Where(w => name is null || w.Key == name)
                    .Select(w => new { id = w.Value, name = w.Key, project = new { id = project.Id, name = project.Name }, revision = rev.Name, timezone = "UTC", config = new { } });
                return Results.Json(new { workflows = list.ToList() });
            }
        });
        app.MapPut("/api/attempts", StartAttemptAsync);
        app.MapGet("/api/attempts/{id}", (string id) =>
        {
            lock (Gate)
            {
                if (FindAttempt(id) is not { } a) return Fail(404, $"attempt not found: {id}");
                Advance(a);
                return Results.Json(AttemptJson(a));
            }
        });
        app.MapGet("/api/attempts/{id}/tasks", (string id) =>
        {
            lock (Gate)
            {
                if (FindAttempt(id) is not { } a) return Fail(404, $"attempt not found: {id}");
                return Results.Json(new
                {
                    tasks = a.Tasks.Select(t => new
                    {
                        id = t.Id, fullName = t.FullName, parentId = t.ParentId, upstreams = Array.Empty<string>(), isGroup = t.IsGroup,
                        state = t.State, cancelRequested = a.CancelRequested, startedAt = a.CreatedAt, updatedAt = a.FinishedAt ?? a.CreatedAt, retryAt = (string?)null,
                        error = t.Error is null ? new { message = (string?)null, stacktrace = (string?)null } : new { message = (string?)t.Error, stacktrace = (string?)null },
                    }).ToList(),
                });
            }
        });
        app.MapPost("/api/attempts/{id}/kill", (string id) =>
        {
            lock (Gate)
            {
                if (FindAttempt(id) is not { } a) return Fail(404, $"attempt not found: {id}");
                if (a.Done || a.CancelRequested) return Fail(409, "attempt is already finished or canceling");
                a.CancelRequested = true;
                return Results.Json(AttemptJson(a));
            }
        });
        app.MapGet("/api/sessions/{id}", (string id) =>
        {
            lock (Gate)
            {
                if (Sessions.FirstOrDefault(s => s.Id == id) is not { } s) return Fail(404, $"session not found: {id}");
                var last = s.Attempts[^1];
                return Results.Json(new
                {
                    id = s.Id, project = new { id = s.Project.Id, name = s.Project.Name }, workflow = new { name = s.Workflow, id = s.WorkflowId },
                    sessionUuid = Guid.Empty, sessionTime = s.SessionTime,
                    lastAttempt = new { id = last.Id, retryAttemptName = last.RetryAttemptName, done = last.Done, success = last.Success, cancelRequested = last.CancelRequested, createdAt = last.CreatedAt, finishedAt = last.FinishedAt },
                });
            }
        });
        app.MapPut("/api/projects/{id}/secrets/{key}", async (string id, string key, HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            lock (Gate)
            {
                if (Projects.FirstOrDefault(p => p.Id == id) is not { } project) return Fail(404, $"project not found: {id}");
                if (key.Length > 255 || !SecretKey().IsMatch(key)) return Fail(400, $"invalid secret key: {key}");
                if (!body.RootElement.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String) return Fail(400, "value is required");
                if (Encoding.UTF8.GetByteCount(value.GetString()!) > 16 * 1024) return Fail(400, "value too long");
                project.Secrets[key] = value.GetString()!;
                return Results.Json(new { key, project = new { id = project.Id, name = project.Name } });
            }
        });
        app.MapGet("/api/projects/{id}/secrets", (string id) =>
        {
            lock (Gate)
                return Projects.FirstOrDefault(p => p.Id == id) is { } project
                    ? Results.Json(new { secrets = project.Secrets.Keys.Select(k => new { key = k }).ToList() })
                    : Fail(404, $"project not found: {id}");
        });
        app.MapDelete("/api/projects/{id}/secrets/{key}", (string id, string key) =>
        {
            lock (Gate)
                return Projects.FirstOrDefault(p => p.Id == id) is { } project && project.Secrets.Remove(key)
                    ? Results.Json(new { key })
                    : Fail(404, $"secret not found: {key}");
        });
        app.MapGet("/api/logs/{attemptId}/files", (string attemptId, string? task) =>
        {
            lock (Gate)
            {
                if (FindAttempt(attemptId) is not { } a) return Fail(404, $"attempt not found: {attemptId}");
                var files = a.Tasks.Where(t => t.Log.Length > 0 && (task is null || t.FullName.StartsWith(task, StringComparison.Ordinal)))
                    .Select(t => new
                    {
                        fileName = LogFileName(t), fileSize = t.Log.Length, taskName = t.FullName, fileTime = a.FinishedAt, agentId = "fake",
                        direct = DirectLogUrls ? new { url = $"{BaseUrl}/direct/logs/{a.Id}/{LogFileName(t)}?signature=presigned" } : null,
                    });
                return Results.Json(new { files = files.ToList() });
            }
        });
        app.MapGet("/api/logs/{attemptId}/files/{fileName}", (string attemptId, string fileName) => LogFile(attemptId, fileName));
        app.MapGet("/direct/logs/{attemptId}/{fileName}", (string attemptId, string fileName) => LogFile(attemptId, fileName));
    }

    static string LogFileName(FakeTask t) => $"{t.FullName.Replace('+', '_').Trim('_')}@{t.Id}.log.gz";

    IResult LogFile(string attemptId, string fileName)
    {
        lock (Gate)
        {
            var task = FindAttempt(attemptId)?.Tasks.FirstOrDefault(t => LogFileName(t) == fileName);
            if (task is null) return Fail(404, $"log file not found: {fileName}");
            using var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(Encoding.UTF8.GetBytes(task.Log));
            return Results.Bytes(gz.ToArray(), "application/gzip");
        }
    }

    object ProjectJson(FakeProject p) => new
    {
        id = p.Id, name = p.Name, revision = p.Latest.Name, createdAt = p.Revisions[0].CreatedAt, updatedAt = p.Latest.CreatedAt,
        deletedAt = (string?)null, archiveType = "db", archiveMd5 = p.Latest.ArchiveMd5,
    };

    async Task<IResult> PushAsync(HttpRequest request, string? project, string? revision)
    {
        if (string.IsNullOrEmpty(project) || string.IsNullOrEmpty(revision)) return Fail(400, "project and revision are required");
        if (request.ContentType != "application/gzip") return Fail(400, $"Content-Type must be application/gzip, not {request.ContentType}");
        if (request.ContentLength is null) return Fail(400, "Content-Length is required (chunked uploads are not accepted)");
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length != request.ContentLength) return Fail(400, "body shorter than Content-Length");
        var (files, problem) = ReadArchive(body.ToArray());
        if (problem is not null) return Fail(400, problem);
        lock (Gate)
        {
            var p = Projects.FirstOrDefault(x => x.Name == project);
            if (p?.Revisions.Any(r => r.Name == revision) == true) return Fail(409, $"revision already exists: {revision}");
            if (p is null) Projects.Add(p = new FakeProject { Id = NextId(), Name = project });
            var rev = new FakeRevision { Name = revision, Files = files!, CreatedAt = DateTimeOffset.UtcNow, ArchiveMd5 = Convert.ToBase64String(MD5.HashData(body.ToArray())) };
            foreach (var dig in files!.Keys.Where(k => !k.Contains('/') && k.EndsWith(".dig", StringComparison.Ordinal)))
                rev.Workflows[dig[..^4]] = NextId();
            p.Revisions.Add(rev);
            Pushes++;
            return Results.Json(ProjectJson(p));
        }
    }

    /// <summary>What Digdag's server accepts: a gzip tar of regular files with clean relative names and at least one workflow.</summary>
    static (Dictionary<string, byte[]>? Files, string? Problem) ReadArchive(byte[] bytes)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var tar = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
            while (tar.GetNextEntry() is { } e)
            {
                if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) return (null, $"not a regular file: {e.Name} ({e.EntryType})");
                if (e.Name.StartsWith('/') || e.Name.StartsWith("./") || e.Name.Contains('\\') || e.Name.Split('/').Any(s => s is ".." or ""))
                    return (null, $"invalid entry name: {e.Name}");
                if (e.Name.Split('/').Any(s => s.StartsWith('.'))) return (null, $"dotfile in archive: {e.Name}");
                var data = new MemoryStream();
                e.DataStream?.CopyTo(data);
                files[e.Name] = data.ToArray();
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            return (null, $"archive is not a gzip-compressed tar: {ex.Message}");
        }
        if (!files.Keys.Any(k => !k.Contains('/') && k.EndsWith(".dig", StringComparison.Ordinal))) return (null, "no workflow (*.dig) at the top of the archive");
        foreach (var (name, data) in files.Where(f => f.Key.EndsWith(".dig", StringComparison.Ordinal)))
            if (YamlProblem(data) is { } yaml) return (null, $"Invalid workflow definition {name}: {yaml}");
        return (files, null);
    }

    /// <summary>
    /// A workflow file that is not YAML, or repeats a key, is refused at push (HTTP 400 naming the file), as
    /// the reference lists; the finer Digdag rules are left to CdpSdk's own generation checks.
    /// </summary>
    static string? YamlProblem(byte[] dig)
    {
        // Digdag merges every "!include : file" key, so repeating it is not a duplicate key.
        var includes = 0;
        var text = IncludeKey().Replace(Encoding.UTF8.GetString(dig), m => $"{m.Groups[1].Value}_include_{includes++}:");
        try
        {
            new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(text));
            return null;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            // A syntax error or a duplicate key, worded as SnakeYAML does ("line L, column C: …"), without the parser's offsets.
            return $"line {e.Start.Line}, column {e.Start.Column}: {YamlMarks().Replace(e.Message, "")}";
        }
    }

    async Task<IResult> StartAttemptAsync(HttpRequest request)
    {
        var body = (await JsonDocument.ParseAsync(request.Body)).RootElement;
        var workflowId = body.GetProperty("workflowId").GetString();
        var sessionTime = body.GetProperty("sessionTime").GetString() ?? "";
        var name = body.TryGetProperty("retryAttemptName", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (!DateTimeOffset.TryParse(sessionTime, out var instant)) return Fail(400, $"invalid sessionTime: {sessionTime}");
        lock (Gate)
        {
            var (project, revision, workflow) = FindWorkflow(workflowId);
            if (project is null) return Fail(404, $"workflow not found: {workflowId}");
            var session = Sessions.FirstOrDefault(s => s.Project == project && s.Workflow == workflow && s.Instant == instant);
            if (session is not null)
            {
                var same = session.Attempts.FirstOrDefault(a => a.RetryAttemptName == name);
                if (same is not null) return Results.Json(AttemptJson(same), statusCode: 409);
                if (!session.Attempts[^1].Done) return Results.Json(AttemptJson(session.Attempts[^1]), statusCode: 409);
            }
            else Sessions.Add(session = new FakeSession { Id = NextId(), Project = project, Revision = revision!, Workflow = workflow!, WorkflowId = workflowId!, SessionTime = sessionTime, Instant = instant });
            var attempt = new FakeAttempt { Id = NextId(), Index = session.Attempts.Count + 1, Session = session, Revision = revision!, RetryAttemptName = name, CreatedAt = DateTimeOffset.UtcNow };
            attempt.Tasks.AddRange(WorkflowSimulator.Tasks(workflow!, WorkflowSimulator.Expanded(revision!, workflow + ".dig"), NextId));
            session.Attempts.Add(attempt);
            AttemptsCreated++;
            return Results.Json(AttemptJson(attempt));
        }
    }

    (FakeProject?, FakeRevision?, string?) FindWorkflow(string? workflowId)
    {
        foreach (var p in Projects)
            foreach (var r in p.Revisions)
                foreach (var (name, id) in r.Workflows)
                    if (id == workflowId) return (p, r, name);
        return (null, null, null);
    }

    FakeAttempt? FindAttempt(string id) => Sessions.SelectMany(s => s.Attempts).FirstOrDefault(a => a.Id == id);

    /// <summary>One poll of a running attempt moves it on; after <see cref="PollsToFinish"/> polls it ends as scripted.</summary>
    void Advance(FakeAttempt a)
    {
        if (a.Done) return;
        if (a.CancelRequested) { Finish(a, success: false, failure: null); return; }
        a.Polls++;
        foreach (var t in a.Tasks.Where(t => t.State == "blocked")) t.State = "running";
        if (a.Polls < PollsToFinish || HeldWorkflows.Contains(a.Session.Workflow)) return;
        var outcome = Outcomes.TryGetValue(a.Session.Workflow, out var o) ? o : WorkflowOutcome.Succeed;
        if (outcome.Kill) { a.CancelRequested = true; Finish(a, false, null); return; }
        if (outcome.FailTask is not null) { Finish(a, false, outcome); return; }
        var effects = WorkflowSimulator.Effects(a.Revision, a.Session.Workflow, Databases, a.Session.Project.Secrets,
            (d, t) => Tables.TryGetValue((d, t), out var x) ? x : null);
        if (effects.Failure is not null)
        {
            Finish(a, false, new WorkflowOutcome(FailTask: effects.FailTask ?? a.Tasks[^1].FullName.Split('+')[^1], FailMessage: effects.Failure, FailLog: effects.FailLog ?? effects.Failure));
            return;
        }
        foreach (var d in effects.Databases) Databases.Add(d);
        foreach (var (db, table, append, columns) in effects.Tables)
        {
            Tables.TryGetValue((db, table), out var t);
            Tables[(db, table)] = new FakeTable { Rows = append && t is not null ? t.Rows + 1 : append ? 1 : RowsPerTable, Columns = columns };
        }
        Finish(a, true, null);
    }

    static void Finish(FakeAttempt a, bool success, WorkflowOutcome? failure)
    {
        a.Done = true;
        a.Success = success;
        a.FinishedAt = DateTimeOffset.UtcNow;
        foreach (var t in a.Tasks) t.State = success ? "success" : a.CancelRequested ? "canceled" : t.State == "running" ? "success" : t.State;
        if (failure is null) return;
        var failed = a.Tasks.LastOrDefault(t => t.FullName.EndsWith("+" + failure.FailTask, StringComparison.Ordinal)) ?? a.Tasks[^1];
        failed.State = "error";
        failed.Error = failure.FailMessage;
        failed.Log = $"2026-01-01 00:00:00.000 +0000 [INFO] {failed.FullName}: starting\n{failure.FailLog}\n2026-01-01 00:00:01.000 +0000 [ERROR] {failed.FullName}: {failure.FailMessage}\n";
        foreach (var parent in a.Tasks.Where(t => t.IsGroup && failed.FullName.StartsWith(t.FullName, StringComparison.Ordinal))) parent.State = "group_error";
    }

    object AttemptJson(FakeAttempt a) => new
    {
        id = a.Id, index = a.Index, project = new { id = a.Session.Project.Id, name = a.Session.Project.Name },
        workflow = new { name = a.Session.Workflow, id = a.Session.WorkflowId }, sessionId = a.Session.Id, sessionUuid = Guid.Empty,
        sessionTime = a.Session.SessionTime, retryAttemptName = a.RetryAttemptName, done = a.Done, success = a.Success,
        cancelRequested = a.CancelRequested, @params = new { }, createdAt = a.CreatedAt, finishedAt = a.FinishedAt,
    };
}

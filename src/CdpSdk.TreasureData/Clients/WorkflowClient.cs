using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using CdpSdk.Core.Diagnostics;
using CdpSdk.TreasureData.Http;
using RestSharp;

namespace CdpSdk.TreasureData.Clients;

/// <summary>The TD Workflow (Digdag server) REST API: projects, workflows, attempts, tasks, logs, secrets.</summary>
public sealed class WorkflowClient(TdHttp http)
{
    public TdHttp Http => http;

    public async Task<WfProject?> FindProjectAsync(string name, CancellationToken ct)
    {
        var list = await http.GetJsonAsync<WfProjectList>(new RestRequest("api/projects").AddQueryParameter("name", name), ct);
        return list.Projects.FirstOrDefault(p => p.Name == name);
    }

    /// <summary>
    /// Uploads the archive as a new revision. A 409 means this revision name exists already (our earlier
    /// push whose answer was lost, or an identical deploy): the project is looked up instead.
    /// </summary>
    public async Task<WfProject> PushAsync(string name, string revision, byte[] archive, CancellationToken ct)
    {
        var request = new RestRequest("api/projects", Method.Put)
            .AddQueryParameter("project", name)
            .AddQueryParameter("revision", revision);
        // A byte body gets an exact Content-Length: the server rejects chunked uploads.
        request.AddParameter(new BodyParameter("", archive, "application/gzip", DataFormat.Binary));
        var response = await http.SendAsync(request, ct, true, HttpStatusCode.Conflict);
        if (response.StatusCode != HttpStatusCode.Conflict) return http.Parse<WfProject>(request, response);
        return await FindProjectAsync(name, ct)
               ?? throw new CdpException("CDP2001", $"TD workflow API answered the push of {name} revision {revision} with 409 but lists no such project.");
    }

    public async Task<WfWorkflow?> FindWorkflowAsync(string projectId, string workflow, string revision, CancellationToken ct)
    {
        var request = new RestRequest($"api/projects/{projectId}/workflows")
            .AddQueryParameter("name", workflow).AddQueryParameter("revision", revision);
        var list = await http.GetJsonAsync<WfWorkflowList>(request, ct);
        return list.Workflows.FirstOrDefault(w => w.Name == workflow);
    }

    /// <summary>
    /// Starts an attempt. The same workflow, session time and attempt name again answers 409 with the
    /// existing attempt, which is what a rerun after an interruption (or a retried request) must get back.
    /// </summary>
    public async Task<WfAttempt> StartAttemptAsync(string workflowId, string sessionTime, string? retryAttemptName, string? resumeFailedAttemptId, CancellationToken ct)
    {
        var body = new Dictionary<string, object?>
        {
            ["workflowId"] = workflowId,
            ["sessionTime"] = sessionTime,
            ["params"] = new Dictionary<string, object>(),
        };
        if (retryAttemptName is not null) body["retryAttemptName"] = retryAttemptName;
        if (resumeFailedAttemptId is not null) body["resume"] = new Dictionary<string, string> { ["mode"] = "failed", ["attemptId"] = resumeFailedAttemptId };
        var request = new RestRequest("api/attempts", Method.Put).AddStringBody(JsonSerializer.Serialize(body, TdHttp.Json), DataFormat.Json);
        var response = await http.SendAsync(request, ct, true, HttpStatusCode.Conflict);
        return http.Parse<WfAttempt>(request, response);
    }

    public Task<WfAttempt> GetAttemptAsync(string attemptId, CancellationToken ct) =>
        http.GetJsonAsync<WfAttempt>(new RestRequest($"api/attempts/{attemptId}"), ct);

    public async Task<IReadOnlyList<WfTask>> GetTasksAsync(string attemptId, CancellationToken ct) =>
        (await http.GetJsonAsync<WfTaskList>(new RestRequest($"api/attempts/{attemptId}/tasks"), ct)).Tasks;

    public Task<WfSession> GetSessionAsync(string sessionId, CancellationToken ct) =>
        http.GetJsonAsync<WfSession>(new RestRequest($"api/sessions/{sessionId}"), ct);

    /// <summary>Requests a kill; 409 (already finished or killed) is fine.</summary>
    public async Task KillAsync(string attemptId, CancellationToken ct)
    {
        var request = new RestRequest($"api/attempts/{attemptId}/kill", Method.Post).AddStringBody("{}", DataFormat.Json);
        await http.SendAsync(request, ct, true, HttpStatusCode.Conflict);
    }

    public async Task PutSecretAsync(string projectId, string key, string value, CancellationToken ct)
    {
        var request = new RestRequest($"api/projects/{projectId}/secrets/{key}", Method.Put)
            .AddStringBody(JsonSerializer.Serialize(new { value }, TdHttp.Json), DataFormat.Json);
        await http.SendAsync(request, ct);
    }

    public async Task<IReadOnlyList<WfLogFile>> ListLogFilesAsync(string attemptId, string taskName, CancellationToken ct)
    {
        var request = new RestRequest($"api/logs/{attemptId}/files").AddQueryParameter("task", taskName);
        return (await http.GetJsonAsync<WfLogFileList>(request, ct)).Files;
    }

    /// <summary>
    /// A log file's text. Files with a direct URL (a pre-signed storage link) are fetched from it without
    /// the Authorization header, which such links reject and must never see.
    /// </summary>
    public async Task<string> ReadLogFileAsync(string attemptId, WfLogFile file, CancellationToken ct)
    {
        var request = file.Direct?.Url is { Length: > 0 } url
            ? new RestRequest(new Uri(url))
            : new RestRequest($"api/logs/{attemptId}/files/{Uri.EscapeDataString(file.FileName)}");
        var response = await http.SendAsync(request, ct, authenticated: file.Direct is null);
        var bytes = response.RawBytes ?? [];
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return await reader.ReadToEndAsync(ct);
        }
        return Encoding.UTF8.GetString(bytes);
    }
}

using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;
using CdpSdk.TreasureData.Http;
using RestSharp;

namespace CdpSdk.TreasureData.Clients;

/// <summary>The TD REST API v3: databases, tables and query jobs.</summary>
public sealed partial class V3Client(TdHttp http)
{
    public TdHttp Http => http;

    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken ct) =>
        (await http.GetJsonAsync<V3DatabaseList>(new RestRequest("v3/database/list"), ct)).Databases.Select(d => d.Name).ToList();

    /// <summary>Creates a database; 409 (it exists, e.g. created by a request whose answer was lost) is fine.</summary>
    public async Task CreateDatabaseAsync(string name, CancellationToken ct) =>
        await http.SendAsync(new RestRequest($"v3/database/create/{name}", Method.Post), ct, true, HttpStatusCode.Conflict);

    /// <summary>The tables of a database; an absent database gives null.</summary>
    public async Task<IReadOnlyList<V3Table>?> ListTablesAsync(string database, CancellationToken ct)
    {
        var request = new RestRequest($"v3/table/list/{database}");
        var response = await http.SendAsync(request, ct, true, HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.NotFound ? null : http.Parse<V3TableList>(request, response).Tables;
    }

    /// <summary>
    /// Issues a query. The domain key makes the issue idempotent: when a retried request finds the job of
    /// the first one already created, TD answers 409 and names it, and that job is used.
    /// </summary>
    public async Task<string> IssueQueryAsync(string engine, string database, string sql, string domainKey, CancellationToken ct)
    {
        var request = new RestRequest($"v3/job/issue/{engine}/{database}", Method.Post)
            .AddParameter("query", sql)
            .AddParameter("domain_key", domainKey);
        var response = await http.SendAsync(request, ct, true, HttpStatusCode.Conflict);
        if (response.StatusCode != HttpStatusCode.Conflict) return http.Parse<V3JobIssued>(request, response).JobId;
        return ExistingJob(response.Content)
               ?? throw new CdpException("CDP5101", $"TD refused the query on {database} as a duplicate of domain key {domainKey} without naming the job: {TdHttp.ServerMessage(response)}.");
    }

    /// <summary>The job a domain-key conflict names: a job_id field, or the number in its text.</summary>
    internal static string? ExistingJob(string? body)
    {
        if (string.IsNullOrEmpty(body)) return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("job_id", out var id))
                return id.ValueKind == JsonValueKind.Number ? id.GetRawText() : id.GetString();
        }
        catch (JsonException) { }
        return JobIdInText().Match(body) is { Success: true } m ? m.Groups[1].Value : null;
    }

    [GeneratedRegex(@"job_?id\D{0,5}(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex JobIdInText();

    public Task<V3JobStatus> GetJobStatusAsync(string jobId, CancellationToken ct) =>
        http.GetJsonAsync<V3JobStatus>(new RestRequest($"v3/job/status/{jobId}"), ct);

    public Task<V3JobShow> ShowJobAsync(string jobId, CancellationToken ct) =>
        http.GetJsonAsync<V3JobShow>(new RestRequest($"v3/job/show/{jobId}"), ct);

    /// <summary>The result rows (format=json: one JSON array per line).</summary>
    public async Task<IReadOnlyList<object?[]>> GetJobResultAsync(string jobId, CancellationToken ct)
    {
        var response = await http.SendAsync(new RestRequest($"v3/job/result/{jobId}").AddQueryParameter("format", "json"), ct);
        var rows = new List<object?[]>();
        foreach (var line in (response.Content ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var doc = JsonDocument.Parse(line);
            rows.Add(doc.RootElement.EnumerateArray().Select(Value).ToArray());
        }
        return rows;
    }

    static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => e.GetRawText(),
    };
}

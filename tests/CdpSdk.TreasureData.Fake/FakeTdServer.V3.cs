using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CdpSdk.TreasureData.Fake;

/// <summary>The v3 API: databases, tables and query jobs with domain keys.</summary>
public sealed partial class FakeTdServer
{
    [GeneratedRegex("^[a-z0-9_]{3,256}$")]
    private static partial Regex DatabaseName();

    static IResult V3Fail(int status, string error, string text) =>
        Results.Json(new { error, text, severity = "error" }, statusCode: status);

    void MapV3Api(WebApplication app)
    {
        app.MapGet("/v3/database/list", () =>
        {
            lock (Gate)
                return Results.Json(new
                {
                    databases = Databases.Order(StringComparer.Ordinal).Select(d => new
                    {
                        name = d, count = Tables.Keys.Count(k => k.Database == d), created_at = "2026-01-01 00:00:00 UTC", updated_at = "2026-01-01 00:00:00 UTC", permission = "administrator",
                    }).ToList(),
                });
        });
        app.MapPost("/v3/database/create/{name}", (string name) =>
        {
            lock (Gate)
            {
                if (!DatabaseName().IsMatch(name)) return V3Fail(400, "Invalid name", $"Name must be 3 to 256 characters of a-z, 0-9 and _: {name}");
                if (!Databases.Add(name)) return V3Fail(409, "Database already exists", $"Database '{name}' already exists");
                return Results.Json(new { database = name });
            }
        });
        app.MapGet("/v3/table/list/{database}", (string database) =>
        {
            lock (Gate)
            {
                if (!Databases.Contains(database)) return V3Fail(404, "Resource not found", $"Database '{database}' does not exist");
                return Results.Json(new
                {
                    database,
                    tables = Tables.Where(t => t.Key.Database == database).OrderBy(t => t.Key.Table, StringComparer.Ordinal).Select(t => new
                    {
                        name = t.Key.Table, type = "log", count = t.Value.Rows, counter_updated_at = "2026-01-01 00:00:00 UTC",
                        schema = JsonSerializer.Serialize(t.Value.Columns.Select(c => new[] { c, "string", c })),
                    }).ToList(),
                });
            }
        });
        app.MapPost("/v3/job/issue/{engine}/{database}", async (string engine, string database, HttpRequest request) =>
        {
            if (engine is not ("presto" or "hive" or "trino")) return V3Fail(404, "Resource not found", $"Unknown engine {engine}");
            var form = await request.ReadFormAsync();
            var query = form["query"].ToString();
            var domainKey = form["domain_key"].ToString();
            if (query.Length == 0) return V3Fail(422, "Query is required", "query parameter is missing");
            lock (Gate)
            {
                if (!Databases.Contains(database)) return V3Fail(404, "Resource not found", $"Database '{database}' does not exist");
                if (domainKey.Length > 0 && Jobs.FirstOrDefault(j => j.DomainKey == domainKey) is { } existing)
                    return V3Fail(409, "Domain key conflict", $"Job with domain_key '{domainKey}' already exists: job_id={existing.Id}");
                var job = new FakeJob { Id = NextId(), Database = database, Query = query, DomainKey = domainKey.Length > 0 ? domainKey : null };
                Jobs.Add(job);
                JobsCreated++;
                return Results.Json(new { job = job.Id, job_id = job.Id, database });
            }
        });
        app.MapGet("/v3/job/status/{id}", (string id) =>
        {
            lock (Gate)
            {
                if (Jobs.FirstOrDefault(j => j.Id == id) is not { } job) return V3Fail(404, "Resource not found", $"Job {id} not found");
                AdvanceJob(job);
                return Results.Json(new { job_id = job.Id, status = job.Status, created_at = "2026-01-01 00:00:00 UTC", updated_at = "2026-01-01 00:00:00 UTC", end_at = (string?)null, duration = 1, result_size = 10 });
            }
        });
        app.MapGet("/v3/job/show/{id}", (string id) =>
        {
            lock (Gate)
            {
                if (Jobs.FirstOrDefault(j => j.Id == id) is not { } job) return V3Fail(404, "Resource not found", $"Job {id} not found");
                return Results.Json(new
                {
                    job_id = job.Id, status = job.Status, query = job.Query, type = "presto", database = job.Database, num_records = job.Result.Count,
                    hive_result_schema = JsonSerializer.Serialize(job.Columns.Select(c => new[] { c, "bigint" })),
                    debug = new { cmdout = "", stderr = job.Error ?? "" },
                });
            }
        });
        app.MapGet("/v3/job/result/{id}", (string id, string? format) =>
        {
            lock (Gate)
            {
                if (Jobs.FirstOrDefault(j => j.Id == id) is not { } job) return V3Fail(404, "Resource not found", $"Job {id} not found");
                if (job.Status != "success") return V3Fail(422, "Job not finished", $"Job {id} is {job.Status}");
                if (format != "json") return V3Fail(422, "Unsupported format", "this fake serves format=json only");
                var text = new StringBuilder();
                foreach (var row in job.Result) text.Append(JsonSerializer.Serialize(row)).Append('\n');
                return Results.Text(text.ToString(), "application/json");
            }
        });
    }

    void AdvanceJob(FakeJob job)
    {
        if (job.Status is "success" or "error" or "killed") return;
        job.Polls++;
        job.Status = "running";
        if (job.Polls < JobPollsToFinish) return;
        var scripted = QueryAnswer?.Invoke(job.Database, job.Query);
        if (scripted is not null)
        {
            job.Result = scripted;
            job.Columns = scripted.Count > 0 ? scripted[0].Select((_, i) => "_col" + i).ToList() : [];
            job.Status = "success";
            return;
        }
        var (columns, rows, error) = FakeQueryEngine.Run(job.Database, job.Query, (d, t) => Tables.TryGetValue((d, t), out var x) ? x : null);
        job.Columns = columns;
        job.Result = rows;
        job.Error = error;
        job.Status = error is null ? "success" : "error";
    }
}

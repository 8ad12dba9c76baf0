using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CdpSdk.TreasureData.Fake;

/// <summary>
/// A fake Treasure Data on Kestrel at http://127.0.0.1:&lt;free port&gt;: the workflow API (/api/…), the
/// v3 API (/v3/…) and pre-signed log links (/direct/…), one base URL for all, as CdpEndpoint allows.
/// Attempts advance one step per status poll and end as scripted (success by default). Everything is
/// counted, so tests can prove nothing was created twice.
/// </summary>
public sealed partial class FakeTdServer : IAsyncDisposable
{
    readonly WebApplication _app;
    /// <summary>Guards the state lists; tests take it too when they read them.</summary>
    public readonly object Gate = new();
    int _ids = 1000;

    public const string DefaultApiKey = "4242/0123456789abcdef0123456789abcdef01234567";

    FakeTdServer(string apiKey)
    {
        ApiKey = apiKey;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.AllowSynchronousIO = true);
        _app = builder.Build();
        _app.Use(FaultsAndAuthAsync);
        MapWorkflowApi(_app);
        MapV3Api(_app);
    }

    public static async Task<FakeTdServer> StartAsync(string apiKey = DefaultApiKey)
    {
        var server = new FakeTdServer(apiKey);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Urls.First().TrimEnd('/');
        return server;
    }

    public string ApiKey { get; }
    public string BaseUrl { get; private set; } = "";
    public Faults Faults { get; } = new();

    /// <summary>Status polls of an attempt before it ends.</summary>
    public int PollsToFinish { get; set; } = 2;
    /// <summary>Status polls of a query job before it ends.</summary>
    public int JobPollsToFinish { get; set; } = 1;
    /// <summary>Rows a table gets when a simulated workflow creates or appends to it.</summary>
    public long RowsPerTable { get; set; } = 25;
    /// <summary>Serve log files through direct (pre-signed) URLs, as TD does.</summary>
    public bool DirectLogUrls { get; set; } = true;

    // ---- state (guarded by Gate) ----
    public List<FakeProject> Projects { get; } = [];
    public List<FakeSession> Sessions { get; } = [];
    public HashSet<string> Databases { get; } = new(StringComparer.Ordinal);
    public Dictionary<(string Database, string Table), FakeTable> Tables { get; } = [];
    public List<FakeJob> Jobs { get; } = [];
    public Dictionary<string, WorkflowOutcome> Outcomes { get; } = new(StringComparer.Ordinal);
    /// <summary>Workflows whose attempts keep running (however often they are polled) while listed here.</summary>
    public HashSet<string> HeldWorkflows { get; } = new(StringComparer.Ordinal);
    /// <summary>Optional scripted answers to queries: return null to fall back to <see cref="FakeQueryEngine"/>.</summary>
    public Func<string, string, List<object?[]>?>? QueryAnswer { get; set; }

    // ---- counters ----
    public ConcurrentQueue<string> RequestLog { get; } = new();
    public int Requests => RequestLog.Count;
    public int Pushes { get; internal set; }
    public int AttemptsCreated { get; internal set; }
    public int JobsCreated { get; internal set; }
    /// <summary>Requests to direct log links that carried an Authorization header (must stay zero).</summary>
    public int DirectRequestsWithAuthorization { get; internal set; }
    /// <summary>Every attempt of every session, as a snapshot.</summary>
    public IEnumerable<FakeAttempt> Attempts { get { lock (Gate) return Sessions.SelectMany(s => s.Attempts).ToList(); } }

    internal string NextId() => Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void AddTable(string database, string table, long rows, params string[] columns)
    {
        lock (Gate)
        {
            Databases.Add(database);
            Tables[(database, table)] = new FakeTable { Rows = rows, Columns = columns.Length > 0 ? columns.ToList() : ["id", "time"] };
        }
    }

    /// <summary>
    /// A table with its real schema, as a connector loaded it: queries of simulated workflows that name a
    /// column it does not have fail with Presto's "Column '…' cannot be resolved".
    /// </summary>
    public void DeclareTable(string database, string table, long rows, params string[] columns)
    {
        lock (Gate)
        {
            Databases.Add(database);
            Tables[(database, table)] = new FakeTable { Rows = rows, Columns = columns.ToList(), StrictColumns = true };
        }
    }

    async Task FaultsAndAuthAsync(HttpContext http, RequestDelegate next)
    {
        var path = http.Request.Path.Value ?? "";
        RequestLog.Enqueue($"{http.Request.Method} {path}{http.Request.QueryString}");
        var fault = Faults.Take(http.Request.Method, path);
        switch (fault)
        {
            case FaultKind.ServerError: await Error(http, 500, "Internal Server Error"); return;
            case FaultKind.Unavailable: await Error(http, 503, "Service Unavailable"); return;
            case FaultKind.TooManyRequests:
                http.Response.Headers.RetryAfter = Faults.RetryAfter;
                await Error(http, 429, "Too Many Requests");
                return;
            case FaultKind.DropBefore: http.Abort(); return;
            case FaultKind.Slow: await Task.Delay(Faults.SlowDelay, http.RequestAborted).ContinueWith(_ => { }); break;
        }

        if (path.StartsWith("/direct/", StringComparison.Ordinal))
        {
            // A pre-signed storage link: it carries its own credentials and refuses others.
            if (http.Request.Headers.ContainsKey("Authorization"))
            {
                lock (Gate) DirectRequestsWithAuthorization++;
                await Error(http, 400, "Only one auth mechanism allowed");
                return;
            }
        }
        else if (http.Request.Headers.Authorization.ToString() != "TD1 " + ApiKey)
        {
            await Error(http, 401, "Authentication failed");
            return;
        }

        if (fault == FaultKind.DropAfter)
        {
            // Do the work, then lose the answer.
            var original = http.Response.Body;
            http.Response.Body = new MemoryStream();
            await next(http);
            http.Response.Body = original;
            http.Abort();
            return;
        }
        await next(http);
    }

    static Task Error(HttpContext http, int status, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { message, status, error = message, text = message, severity = "error" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

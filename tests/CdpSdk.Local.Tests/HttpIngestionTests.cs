using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>Connector="http": a paged JSON API on 127.0.0.1, loaded incrementally with the auth header from an environment variable.</summary>
[NonParallelizable]
public sealed class HttpIngestionTests
{
    const string AuthEnv = "CDP_TEST_CONTACTS_AUTH";
    const string Token = "Bearer local-test-token";
    RetailSample _sample = null!;
    ContactsApi _api = null!;

    [SetUp]
    public void SetUp()
    {
        _sample = new RetailSample();
        _api = new ContactsApi();
        Environment.SetEnvironmentVariable(AuthEnv, Token);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(AuthEnv, null);
        _api.Dispose();
        _sample.Dispose();
    }

    PipelineSpec Spec(string objectPath, params (string, string)[] paging) => _sample.Spec((items, _) =>
    {
        var at = new Core.Diagnostics.SourceLocation(_sample.ProjectFile);
        items.Add(new RawItem("CdpSource", "crm", new Dictionary<string, string>
        {
            ["Connector"] = "http", ["Mode"] = "incremental", ["IncrementalField"] = "updated_at", ["AuthHeaderEnv"] = AuthEnv,
        }, at));
        var metadata = new Dictionary<string, string> { ["Source"] = "crm", ["Location"] = _api.Url + objectPath };
        foreach (var (k, v) in paging) metadata[k] = v;
        items.Add(new RawItem("CdpObject", "contacts", metadata, at));
    });

    [Test]
    public async Task LinkedPagesLoadEveryRecordThenOnlyNewerOnesWithALogRowPerRun()
    {
        var spec = Spec("/contacts?page=1", ("RecordsPath", "data.items"), ("NextPagePath", "links.next"));
        using var backend = _sample.Backend(spec);
        await _sample.RunPhase(spec, Phase.Ingestion, backend);

        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM crm_contacts"), Is.EqualTo(5));
        Assert.That(_api.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/contacts?page=1", "/contacts?page=2", "/contacts?page=3" }));
        Assert.That(_api.Requests.Select(r => r.Auth), Is.All.EqualTo(Token));

        _api.Add(6, "2024-06-01 00:00:00");
        await _sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime.AddDays(1));

        var ids = (await backend.QueryAsync("retail_src", "SELECT id FROM crm_contacts ORDER BY rowid", CancellationToken.None)).Rows.Select(r => r[0]);
        Assert.That(ids, Is.EqualTo(new object[] { 1L, 2L, 3L, 4L, 5L, 6L }), "the second run appends only the record after the watermark");
        var log = (await backend.QueryAsync("retail_src", "SELECT records_loaded FROM ingestion_log WHERE source_name = 'crm' ORDER BY time", CancellationToken.None)).Rows.Select(r => r[0]);
        Assert.That(log, Is.EqualTo(new object[] { 5L, 1L }));
    }

    [Test]
    public async Task ACursorIsSentBackAsAQueryParameter()
    {
        var spec = Spec("/cursor", ("RecordsPath", "results"), ("NextPagePath", "next_cursor"), ("CursorParameter", "after"));
        using var backend = _sample.Backend(spec);
        await _sample.RunPhase(spec, Phase.Ingestion, backend);

        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM crm_contacts"), Is.EqualTo(5));
        Assert.That(_api.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/cursor", "/cursor?after=c2", "/cursor?after=c4" }));
    }

    [Test]
    public async Task ARejectedTokenFailsTheLoadWithACodeAndNeverShowsTheToken()
    {
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer wrong-secret");
        var spec = Spec("/contacts?page=1", ("RecordsPath", "data.items"), ("NextPagePath", "links.next"));
        using var backend = _sample.Backend(spec);
        var error = await FirstError(spec, backend);

        Assert.That(error, Does.StartWith("CDP3012").And.Contain("401").And.Contain(AuthEnv));
        Assert.That(error + string.Join("\n", _sample.Log.Lines), Does.Not.Contain("wrong-secret"));
    }

    [Test]
    public async Task AMissingAuthVariableIsNamedInTheError()
    {
        Environment.SetEnvironmentVariable(AuthEnv, null);
        var spec = Spec("/contacts?page=1", ("RecordsPath", "data.items"));
        using var backend = _sample.Backend(spec);
        Assert.That(await FirstError(spec, backend), Does.StartWith("CDP3013").And.Contain(AuthEnv));
    }

    [Test]
    public void TheAuthSettingMustNameAVariableNotHoldTheSecret()
    {
        var result = PipelineSpecReader.Read(new RawProject(_sample.ProjectFile, new Dictionary<string, RawProperty>(StringComparer.OrdinalIgnoreCase)
        {
            ["CdpClient"] = new("CdpClient", "retail", new(_sample.ProjectFile)),
        }, [
            new RawItem("CdpSource", "crm", new Dictionary<string, string> { ["Connector"] = "http", ["AuthHeaderEnv"] = "Bearer abc123" }, new(_sample.ProjectFile)),
            new RawItem("CdpObject", "contacts", new Dictionary<string, string> { ["Source"] = "crm", ["Location"] = "data/contacts.json" }, new(_sample.ProjectFile)),
        ], [], []), () => null);

        var codes = result.Diagnostics.Select(d => d.Code).ToList();
        Assert.That(codes, Does.Contain("CDP0150").And.Contain("CDP0151"));
        Assert.That(string.Join("\n", result.Diagnostics.Select(d => d.Message)), Does.Not.Contain("abc123"));
    }

    [Test]
    public void TheGeneratedLoadConfigNamesTheVariableAndThePaging()
    {
        var spec = Spec("/contacts?page=1", ("RecordsPath", "data.items"), ("NextPagePath", "links.next"));
        var project = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var config = project.Files.Single(f => f.RelativePath == "config/crm_contacts_load.yml").Content;
        Assert.That(config, Does.Contain("type: http").And.Contain($"auth_header_env: {AuthEnv}").And.Contain("records_path: data.items").And.Contain("next_page_path: links.next"));
        Assert.That(config, Does.Not.Contain("local-test-token"));
    }

    async Task<string> FirstError(PipelineSpec spec, LocalBackend backend)
    {
        var project = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var dir = Path.Combine(spec.Settings.GeneratedDir, "ingestion");
        Core.Generation.ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "crm_ingest_inc", RetailSample.SessionTime, CancellationToken.None);
        var status = await backend.GetStatusAsync(session, CancellationToken.None);
        return status.Tasks.First(t => t.State == "error").Error!;
    }

    /// <summary>A contacts API on 127.0.0.1: two records per page, linked pages or cursors, and a bearer token check.</summary>
    sealed class ContactsApi : LoopbackHttpServer
    {
        readonly List<(long Id, string Email, string UpdatedAt)> _contacts =
            [.. Enumerable.Range(1, 5).Select(i => ((long)i, $"person{i}@example.org", $"2024-01-0{i} 00:00:00"))];

        public ConcurrentQueue<(string Path, string? Auth)> Requests { get; } = new();

        public void Add(long id, string updatedAt)
        {
            lock (_contacts) _contacts.Add((id, $"person{id}@example.org", updatedAt));
        }

        protected override async Task AnswerAsync(HttpListenerContext context)
        {
            var request = context.Request;
            Requests.Enqueue((request.Url!.PathAndQuery, request.Headers["Authorization"]));
            if (request.Headers["Authorization"] != Token)
            {
                context.Response.StatusCode = 401;
                context.Response.Close();
                return;
            }
            List<object> page;
            int pageNo;
            lock (_contacts)
            {
                var q = request.QueryString;
                pageNo = request.Url.AbsolutePath == "/cursor"
                    ? (q["after"] is { } after ? int.Parse(after[1..]) / 2 + 1 : 1)
                    : int.Parse(q["page"] ?? "1");
                page = _contacts.Skip((pageNo - 1) * 2).Take(2).Select(c => (object)new { id = c.Id, email = c.Email, updated_at = c.UpdatedAt }).ToList();
            }
            var last = page.Count < 2 || _contacts.Count <= pageNo * 2;
            object body = request.Url.AbsolutePath == "/cursor"
                ? new { results = page, next_cursor = last ? null : $"c{pageNo * 2}" }
                : new { data = new { items = page }, links = new { next = last ? null : $"/contacts?page={pageNo + 1}" } };
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}

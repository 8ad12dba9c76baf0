using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The retail sample with CdpTarget=TreasureData through the real 'dotnet build', against a fake TD the
/// test starts on 127.0.0.1 (CdpEndpoint points every API at it). Short poll intervals keep it fast.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class TreasureDataPipelineTests
{
    FakeTdServer _server = null!;
    string _workspace = "";

    [SetUp]
    public async Task SetUp()
    {
        _server = await FakeTdServer.StartAsync();
        _workspace = PackedSdk.CopySample("retail");
        // The fake plays workflows but cannot run SQL over data, so the sample's data-quality checks
        // (bad-row queries) cannot be answered truthfully by it; they are tested on the Local target.
        var lines = File.ReadAllLines(Project).Where(l => !l.TrimStart().StartsWith("<CdpCheck ", StringComparison.Ordinal));
        File.WriteAllLines(Project, lines);
    }

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    string Project => Path.Combine(_workspace, "retail.cdpproj");

    string[] PipelineArgs(string binlog) =>
    [
        "build", Project, "-t:CdpPipeline", "-p:CdpTarget=TreasureData", $"-p:CdpEndpoint={_server.BaseUrl}",
        "-p:CdpMonitorPollInterval=0", "-p:CdpHttpRetryDelay=0.02", $"-bl:{Path.Combine(_workspace, binlog)}",
        "-nodeReuse:false", "-nologo", "-clp:NoSummary",
    ];

    [Test]
    public void WithOneRequestInFiveFailingTheSampleCompletesWithoutDuplicatesAndNoSecretAnywhere()
    {
        _server.Faults.TransientRate = 0.2;
        var env = new Dictionary<string, string?> { ["TD_API_KEY"] = _server.ApiKey, ["HOME"] = _workspace };
        var result = DotNet.Run(_workspace, env, PipelineArgs("td.binlog"));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(_server.Faults.Injected, Is.GreaterThan(10), "faults must have happened");
        AssertEveryPhaseSucceeded();
        lock (_server.Gate)
        {
            Assert.That(_server.Pushes, Is.EqualTo(4), "one push per phase");
            Assert.That(_server.Sessions.Select(s => s.Attempts.Count), Is.All.EqualTo(1), "one attempt per session");
            Assert.That(_server.AttemptsCreated, Is.EqualTo(_server.Sessions.Count));
            Assert.That(_server.Jobs.Select(j => j.DomainKey).Distinct().Count(), Is.EqualTo(_server.JobsCreated), "one job per domain key");
            Assert.That(_server.Projects.Single(p => p.Name == "retail_unification").Secrets, Does.ContainKey("td.apikey"));
        }
        Assert.That(Binlog.AllText(Binlog.Read(Path.Combine(_workspace, "td.binlog"))).Any(t => t.Contains("API: HTTP") && t.Contains("retry")), Is.True,
            "each retry is a (detailed) build message");
        AssertKeyAppearsNowhere(result.Output, "td.binlog");
    }

    [Test]
    public void AnInterruptedMonitorIsReattachedByTheNextBuildAndTheKeyIsInNoLogEvenWithAllEnvironmentLogged()
    {
        // The key comes from ~/.td/td.conf: with MSBUILDLOGALLENVIRONMENTVARIABLES=1 MSBuild itself writes
        // every environment variable into the binlog, so a key in TD_API_KEY would be there (docs say so).
        Directory.CreateDirectory(Path.Combine(_workspace, ".td"));
        File.WriteAllText(Path.Combine(_workspace, ".td", "td.conf"), $"[account]\n  user = someone@example.com\n  apikey = {_server.ApiKey}\n");
        var env = new Dictionary<string, string?> { ["HOME"] = _workspace, ["MSBUILDLOGALLENVIRONMENTVARIABLES"] = "1" };
        _server.HeldWorkflows.Add("web_ingest_inc");
        FakeAttempt? Held() => _server.Attempts.FirstOrDefault(a => a.Session.Workflow == "web_ingest_inc");

        // Execute does not poll the phase's last workflow: polls of it are Monitor's.
        var interrupted = DotNet.Run(_workspace, env, () => Held() is { Polls: >= 3 }, PipelineArgs("interrupted.binlog"));
        Assert.That(interrupted.ExitCode, Is.Not.Zero, interrupted.ToString());
        Assert.That(interrupted.Output, Does.Contain("CDP9004"), interrupted.ToString());
        var held = Held()!;
        var attemptsBefore = _server.AttemptsCreated;

        _server.HeldWorkflows.Clear();
        var resumed = DotNet.Run(_workspace, env, PipelineArgs("resumed.binlog"));

        Assert.That(resumed.ExitCode, Is.Zero, resumed.ToString());
        AssertEveryPhaseSucceeded();
        lock (_server.Gate)
        {
            Assert.That(held.Session.Attempts, Has.Count.EqualTo(1), "the interrupted session was not started again");
            Assert.That(_server.Sessions.Where(s => s.Project.Name == "retail_ingestion").Sum(s => s.Attempts.Count), Is.EqualTo(attemptsBefore));
            Assert.That(_server.Pushes, Is.EqualTo(4));
        }
        Assert.That(StateJson(), Does.Contain($"\"attemptId\": \"{held.Id}\""));
        AssertKeyAppearsNowhere(interrupted.Output + resumed.Output, "interrupted.binlog", "resumed.binlog");
    }

    [Test]
    public void CancellingWithCdpKillOnCancelKillsTheRunningAttempt()
    {
        var env = new Dictionary<string, string?> { ["TD_API_KEY"] = _server.ApiKey, ["HOME"] = _workspace };
        _server.HeldWorkflows.Add("web_ingest_inc");
        FakeAttempt? Held() => _server.Attempts.FirstOrDefault(a => a.Session.Workflow == "web_ingest_inc");

        var result = DotNet.Run(_workspace, env, () => Held() is { Polls: >= 2 }, [.. PipelineArgs("kill.binlog"), "-p:CdpKillOnCancel=true"]);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("CDP9004"), result.ToString());
        lock (_server.Gate) Assert.That(Held()!.CancelRequested, Is.True, result.ToString());
    }

    string StateJson() => File.ReadAllText(Path.Combine(_workspace, "obj", "cdp", "pipeline_state.json"));

    void AssertEveryPhaseSucceeded()
    {
        using var state = JsonDocument.Parse(StateJson());
        foreach (var phase in new[] { "Ingestion", "HistUnion", "Staging", "Unification" })
            Assert.That(state.RootElement.GetProperty("phases").GetProperty(phase).GetProperty("status").GetString(), Is.EqualTo("Succeeded"), phase);
    }

    /// <summary>The key, whole or as its secret part, in no console line, binlog string or file the build wrote.</summary>
    /// <summary>
    /// A wrong API key is diagnosed (CDP6105) as a fix only the user can make: no approval switch, even in
    /// Autonomous mode, and the key shows nowhere; the build with the right key then completes.
    /// </summary>
    [Test]
    public void AWrongKeyStopsWithADiagnosisNoSwitchCanApproveAndTheKeyInNoFile()
    {
        const string wrongKey = "4242/ffffffffffffffffffffffffffffffffffffffff";
        var wrong = new Dictionary<string, string?> { ["TD_API_KEY"] = wrongKey, ["HOME"] = _workspace };
        var stopped = DotNet.Run(_workspace, wrong, [.. PipelineArgs("wrong-key.binlog"), "-p:CdpMode=Autonomous"]);

        Assert.That(stopped.ExitCode, Is.Not.Zero, stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("error CDP6105").And.Contain("Only you can fix this"), stopped.ToString());
        Assert.That(stopped.Output, Does.Not.Contain("-p:CdpApprove="), "nothing to approve");
        var written = Directory.GetFiles(Path.Combine(_workspace, "obj"), "*", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(_workspace, "bin"), "*", SearchOption.AllDirectories))
            .Where(f => !f.EndsWith(".dll", StringComparison.Ordinal));
        foreach (var file in written)
            Assert.That(File.ReadAllText(file), Does.Not.Contain("ffffffffffffffffffff"), $"the wrong key appears in {file}");
        Assert.That(stopped.Output, Does.Not.Contain("ffffffffffffffffffff"));
        Assert.That(Binlog.AllStrings(Binlog.Read(Path.Combine(_workspace, "wrong-key.binlog"))).Any(t => t.Contains("ffffffffffffffffffff")), Is.False);

        var env = new Dictionary<string, string?> { ["TD_API_KEY"] = _server.ApiKey, ["HOME"] = _workspace };
        var fixedKey = DotNet.Run(_workspace, env, PipelineArgs("right-key.binlog"));
        Assert.That(fixedKey.ExitCode, Is.Zero, fixedKey.ToString());
        AssertEveryPhaseSucceeded();
    }

    void AssertKeyAppearsNowhere(string console, params string[] binlogs)
    {
        var key = _server.ApiKey;
        var secretPart = key[(key.IndexOf('/') + 1)..];
        void Check(string where, string text) =>
            Assert.That(text.Contains(secretPart, StringComparison.Ordinal), Is.False, $"the API key appears in {where}");

        Check("the console output", console);
        foreach (var name in binlogs)
        {
            var path = Path.Combine(_workspace, name);
            Assert.That(File.Exists(path), Is.True, path);
            var build = Binlog.Read(path);
            foreach (var text in Binlog.AllStrings(build)) Check($"{name} (structured)", text);
            // And the raw event stream, every string MSBuild wrote, whatever node shows it.
            using var raw = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
            using var bytes = new MemoryStream();
            raw.CopyTo(bytes);
            Check($"{name} (raw)", Encoding.UTF8.GetString(bytes.ToArray()));
        }
        foreach (var file in Directory.EnumerateFiles(Path.Combine(_workspace, "obj"), "*", SearchOption.AllDirectories))
            Check(Path.GetRelativePath(_workspace, file), File.ReadAllText(file));
        Assert.That(console, Does.Contain("****" + key[^4..]).Or.Not.Contain("apikey"), "where the key is named it is masked");
    }
}

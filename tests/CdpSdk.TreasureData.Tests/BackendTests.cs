using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>The TreasureData backend against the fake: deploy, start, status, logs, kill, queries, tables.</summary>
public sealed class BackendTests : FakeTdTest
{
    PipelineSpec _spec = null!;

    [SetUp]
    public void ReadSpec() => _spec = _project.Spec();

    string Generated(Phase phase)
    {
        var dir = Path.Combine(_project.Root, "gen", phase.FolderName());
        ProjectWriter.Write(WorkflowGenerator.Generate(_spec, phase), dir);
        return dir;
    }

    [Test]
    public async Task DeployingTheSameFilesTwicePushesOnce()
    {
        using var backend = _project.Backend(_spec);
        var dir = Generated(Phase.Ingestion);
        var first = await backend.DeployAsync("acme_ingestion", dir, CancellationToken.None);
        var second = await backend.DeployAsync("acme_ingestion", dir, CancellationToken.None);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(_server.Pushes, Is.EqualTo(1));
        Assert.That(_project.Log.Lines, Has.Some.Contains("nothing pushed"));
    }

    [Test]
    public async Task APushWhoseAnswerWasLostIsNotRepeated()
    {
        using var backend = _project.Backend(_spec);
        _server.Faults.PathPrefix = "/api/projects";
        _server.Faults.Method = "PUT";
        _server.Faults.Next(FaultKind.DropAfter);
        var dir = Generated(Phase.Ingestion);
        var revision = await backend.DeployAsync("acme_ingestion", dir, CancellationToken.None);

        Assert.That(_server.Pushes, Is.EqualTo(1));
        lock (_server.Gate) Assert.That(_server.Projects.Single().Latest.Name, Is.EqualTo(revision.Name));
    }

    [Test]
    public void MissingDatabasesAreListedWhenCreatingThemIsNotAllowed()
    {
        using var backend = _project.Backend(_spec);
        var e = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync("acme_hist_union", Generated(Phase.HistUnion), CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2010"));
        Assert.That(e.Message, Does.Contain("acme_src").And.Contain("CdpCreateMissingDatabases"));
        Assert.That(_server.Pushes, Is.Zero, "nothing may be pushed before the checks pass");
    }

    [Test]
    public async Task MissingDatabasesAreCreatedWhenAllowed()
    {
        _project.Properties["CdpCreateMissingDatabases"] = "true";
        _spec = _project.Spec();
        using var backend = _project.Backend(_spec);
        await backend.DeployAsync("acme_hist_union", Generated(Phase.HistUnion), CancellationToken.None);

        lock (_server.Gate) Assert.That(_server.Databases, Does.Contain("acme_src"));
    }

    [Test]
    public async Task TheUnificationProjectGetsTheApiKeyAsSecretWithoutLoggingIt()
    {
        _server.AddTable("acme_stg", "shop_customers", 3);
        using var backend = _project.Backend(_spec);
        await backend.DeployAsync("acme_unification", Generated(Phase.Unification), CancellationToken.None);

        lock (_server.Gate) Assert.That(_server.Projects.Single().Secrets["td.apikey"], Is.EqualTo(_server.ApiKey));
        Assert.That(string.Join("\n", _project.Log.Lines), Does.Not.Contain(_server.ApiKey).And.Contain("set secret td.apikey"));
    }

    [Test]
    public async Task ConnectorSecretsComeFromTheEnvironmentOrTheSecretsFile()
    {
        var dir = Generated(Phase.Ingestion);
        File.AppendAllText(Path.Combine(dir, "shop_ingest_inc.dig"), "\n+notify:\n  echo>: ${secret:shop.token} ${secret:mail.password}\n");
        var file = Path.Combine(_project.Root, "secrets.json");
        File.WriteAllText(file, """{ "mail.password": "from-file-s3cret", "shop.token": "overridden" }""");
        _project.Properties["CdpSecretsFile"] = file;
        _project.Environment["CDP_SECRET_SHOP__TOKEN"] = "from-env-s3cret";
        _spec = _project.Spec();
        using var backend = _project.Backend(_spec);
        await backend.DeployAsync("acme_ingestion", dir, CancellationToken.None);

        lock (_server.Gate)
        {
            var secrets = _server.Projects.Single().Secrets;
            Assert.That(secrets["shop.token"], Is.EqualTo("from-env-s3cret"));
            Assert.That(secrets["mail.password"], Is.EqualTo("from-file-s3cret"));
        }
        Assert.That(string.Join("\n", _project.Log.Lines), Does.Not.Contain("s3cret"));
    }

    [Test]
    public void AMalformedSecretsFileIsReportedWithoutItsContent()
    {
        var dir = Generated(Phase.Ingestion);
        File.AppendAllText(Path.Combine(dir, "shop_ingest_inc.dig"), "\n+notify:\n  echo>: ${secret:shop.token}\n");
        var file = Path.Combine(_project.Root, "secrets.json");
        File.WriteAllText(file, "{ \"shop.token\": \"half-written-s3cret");
        _project.Properties["CdpSecretsFile"] = file;
        _spec = _project.Spec();
        using var backend = _project.Backend(_spec);
        var e = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync("acme_ingestion", dir, CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP0202"));
        Assert.That(e.Message, Does.Not.Contain("s3cret"));
    }

    [Test]
    public void ASecretKeyTdWouldRefuseFailsDeployBeforeAnyPush()
    {
        var dir = Generated(Phase.Ingestion);
        File.AppendAllText(Path.Combine(dir, "shop_ingest_inc.dig"), "\n+notify:\n  echo>: ${secret:shop.1token}\n");
        _project.Environment["CDP_SECRET_SHOP__1TOKEN"] = "value";
        using var backend = _project.Backend(_spec);
        var e = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync("acme_ingestion", dir, CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2012"));
        Assert.That(_server.Pushes, Is.Zero);
    }

    [Test]
    public void ASecretWithoutValueFailsDeployNamingTheVariable()
    {
        var dir = Generated(Phase.Ingestion);
        File.AppendAllText(Path.Combine(dir, "shop_ingest_inc.dig"), "\n+notify:\n  echo>: ${secret:shop.api-token}\n");
        using var backend = _project.Backend(_spec);
        var e = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync("acme_ingestion", dir, CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2011"));
        Assert.That(e.Message, Does.Contain("CDP_SECRET_SHOP__API_TOKEN"));
        Assert.That(_server.Pushes, Is.Zero);
    }

    [Test]
    public async Task StartingTheSameSessionAgainReturnsTheSameAttempt()
    {
        using var backend = _project.Backend(_spec);
        var revision = await backend.DeployAsync("acme_ingestion", Generated(Phase.Ingestion), CancellationToken.None);
        var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var first = await backend.StartAsync(revision, "shop_ingest_hist", time, CancellationToken.None);
        _server.Faults.Next(FaultKind.DropAfter);
        var again = await backend.StartAsync(revision, "shop_ingest_hist", time, CancellationToken.None);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(_server.AttemptsCreated, Is.EqualTo(1));
    }

    [Test]
    public async Task AFailedSessionStartedAgainResumesInANewAttempt()
    {
        using var backend = _project.Backend(_spec);
        var revision = await backend.DeployAsync("acme_ingestion", Generated(Phase.Ingestion), CancellationToken.None);
        var time = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        _server.Outcomes["shop_ingest_hist"] = new WorkflowOutcome(FailTask: "load", FailMessage: "boom");
        var first = await backend.StartAsync(revision, "shop_ingest_hist", time, CancellationToken.None);
        while ((await backend.GetStatusAsync(first, CancellationToken.None)).State == RunState.Running) { }
        _server.Outcomes.Remove("shop_ingest_hist");

        var retried = await backend.StartAsync(revision, "shop_ingest_hist", time, CancellationToken.None);
        var again = await backend.StartAsync(revision, "shop_ingest_hist", time, CancellationToken.None);

        Assert.That(retried.SessionId, Is.EqualTo(first.SessionId));
        Assert.That(retried.AttemptId, Is.Not.EqualTo(first.AttemptId));
        Assert.That(again.AttemptId, Is.EqualTo(retried.AttemptId), "a running retry is reattached, not retried again");
        Assert.That(_server.AttemptsCreated, Is.EqualTo(2));
    }

    [Test]
    public async Task AFailedTasksLogIsReadFromItsDirectUrlWithoutTheKey()
    {
        using var backend = _project.Backend(_spec);
        var revision = await backend.DeployAsync("acme_ingestion", Generated(Phase.Ingestion), CancellationToken.None);
        _server.Outcomes["shop_ingest_hist"] = new WorkflowOutcome(FailTask: "load", FailMessage: "Table 'x' not found", FailLog: "presto: line 3: Table acme_src.x not found");
        var session = await backend.StartAsync(revision, "shop_ingest_hist", DateTimeOffset.UnixEpoch, CancellationToken.None);
        RunStatus status;
        while ((status = await backend.GetStatusAsync(session, CancellationToken.None)).State == RunState.Running) { }
        var failed = status.Tasks.Single(t => t.State == "error");
        var log = await backend.GetLogAsync(session, failed.FullName, CancellationToken.None);

        Assert.That(status.State, Is.EqualTo(RunState.Error));
        Assert.That(failed.Error, Does.Contain("Table 'x' not found").And.Contain("Likely cause"));
        Assert.That(log, Does.Contain("presto: line 3: Table acme_src.x not found"));
        Assert.That(_server.DirectRequestsWithAuthorization, Is.Zero);
    }

    [Test]
    public async Task AKilledAttemptEndsKilled()
    {
        using var backend = _project.Backend(_spec);
        var revision = await backend.DeployAsync("acme_ingestion", Generated(Phase.Ingestion), CancellationToken.None);
        var session = await backend.StartAsync(revision, "shop_ingest_hist", DateTimeOffset.UnixEpoch, CancellationToken.None);
        await backend.KillAsync(session, CancellationToken.None);
        await backend.KillAsync(session, CancellationToken.None);

        Assert.That((await backend.GetStatusAsync(session, CancellationToken.None)).State, Is.EqualTo(RunState.Killed));
    }

    [Test]
    public async Task ARetriedQueryIssueDoesNotStartASecondJob()
    {
        _server.AddTable("acme_src", "ingestion_log", 4);
        using var backend = _project.Backend(_spec);
        _server.Faults.PathPrefix = "/v3/job/issue";
        _server.Faults.Next(FaultKind.DropAfter);
        var result = await backend.QueryAsync("acme_src", "SELECT COUNT(*), MAX(status) FROM \"acme_src\".\"ingestion_log\" WHERE status = 'success'", CancellationToken.None);

        Assert.That(result.Rows.Single(), Is.EqualTo(new object?[] { 4L, "success" }));
        Assert.That(_server.JobsCreated, Is.EqualTo(1));
    }

    [Test]
    public void AFailedQueryIsACodedErrorWithTdsMessage()
    {
        _server.AddTable("acme_src", "other", 1);
        using var backend = _project.Backend(_spec);
        var e = Assert.ThrowsAsync<CdpException>(() => backend.QueryAsync("acme_src", "SELECT COUNT(*) FROM missing", CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP5100"));
        Assert.That(e.Message, Does.Contain("does not exist"));
    }

    [Test]
    public async Task TablesAndCountsComeFromTheTableList()
    {
        _server.AddTable("acme_src", "shop_customers", 12, "id", "email");
        using var backend = _project.Backend(_spec);
        var tables = await backend.ListTablesAsync("acme_src", CancellationToken.None);

        Assert.That(tables.Single(), Is.EqualTo(tables.Single() with { Name = "shop_customers", Rows = 12 }));
        Assert.That(tables.Single().Columns, Is.EqualTo(new[] { "id", "email" }));
        Assert.That(await backend.ListTablesAsync("absent_db", CancellationToken.None), Is.Empty);
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>Deploy, start, status and log semantics of the Local backend, the way the phase runner relies on them.</summary>
public sealed class BackendSessionTests : RetailSampleTest
{
    string WriteProject(string name, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(Sample.Root, "projects", name);
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), content);
        }
        return dir;
    }

    LocalBackend Backend() => new(Path.Combine(Sample.Root, "warehouse"), Sample.Root, Sample.Log);

    [Test]
    public async Task DeployingTheSameContentReturnsTheSameRevision()
    {
        using var backend = Backend();
        var dir = WriteProject("p", ("w.dig", "+a:\n  echo>: hi\n"));
        var first = await backend.DeployAsync("p", dir, CancellationToken.None);
        var again = await backend.DeployAsync("p", dir, CancellationToken.None);
        File.WriteAllText(Path.Combine(dir, "w.dig"), "+a:\n  echo>: changed\n");
        var changed = await backend.DeployAsync("p", dir, CancellationToken.None);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(changed.Name, Is.Not.EqualTo(first.Name));
        Assert.That(changed.ProjectId, Is.EqualTo(first.ProjectId));
    }

    [Test]
    public async Task StartingTheSameSessionTwiceReturnsTheSameSessionWithoutRerunning()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        var first = await Sample.RunPhase(spec, Phase.Ingestion, backend);
        var again = await Sample.RunPhase(spec, Phase.Ingestion, backend);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM ingestion_log"), Is.EqualTo(6));
    }

    [Test]
    public async Task AFailedSessionStartedAgainGetsANewAttemptThatCanSucceed()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        var members = Path.Combine(Sample.Root, "data", "pos", "members.csv");
        var away = Path.Combine(Sample.Root, "members.csv.away");
        File.Move(members, away);
        var project = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var dir = Path.Combine(spec.Settings.GeneratedDir, "ingestion");
        Core.Generation.ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);

        var failed = await backend.StartAsync(revision, "pos_ingest_inc", RetailSample.SessionTime, CancellationToken.None);
        var status = await backend.GetStatusAsync(failed, CancellationToken.None);
        Assert.That(status.State, Is.EqualTo(RunState.Error));
        var error = status.Tasks.Single(t => t.State == "error");
        Assert.That(error.FullName, Is.EqualTo("+pos_ingest_inc+load_members+load"));
        Assert.That(error.Error, Does.StartWith("CDP3003:").And.Contain("data/pos/members.csv"));

        File.Move(away, members);
        var retried = await backend.StartAsync(revision, "pos_ingest_inc", RetailSample.SessionTime, CancellationToken.None);
        Assert.That(retried.SessionId, Is.EqualTo(failed.SessionId));
        Assert.That(retried.AttemptId, Is.Not.EqualTo(failed.AttemptId));
        Assert.That((await backend.GetStatusAsync(retried, CancellationToken.None)).State, Is.EqualTo(RunState.Success));
        Assert.That((await backend.GetStatusAsync(failed, CancellationToken.None)).State, Is.EqualTo(RunState.Error), "the old attempt keeps its outcome");
    }

    [Test]
    public async Task AnUnknownOperatorFailsTheAttemptWithCdp3001NamingFileAndTask()
    {
        using var backend = Backend();
        var dir = WriteProject("p", ("w.dig", "+first:\n  echo>: ok\n+shell:\n  sh>: rm -rf /\n+never:\n  echo>: not reached\n"));
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        var status = await backend.GetStatusAsync(session, CancellationToken.None);

        Assert.That(status.State, Is.EqualTo(RunState.Error));
        var failed = status.Tasks.Single(t => t.State == "error");
        Assert.That(failed.Error, Does.StartWith("CDP3001:").And.Contain("'sh>'").And.Contain("+w+shell").And.Contain("w.dig"));
        Assert.That(status.Tasks.Select(t => t.FullName), Does.Contain("+w+first").And.Not.Contain("+w+never"));
    }

    [Test]
    public async Task ASqlErrorFailsTheTaskWithCdp3002AndDuckDbsMessage()
    {
        using var backend = Backend();
        var dir = WriteProject("p", ("w.dig", "+broken:\n  td>: queries/q.sql\n  database: demo_db\n"), ("queries/q.sql", "SELECT * FROM no_such_table\n"));
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        var failed = (await backend.GetStatusAsync(session, CancellationToken.None)).Tasks.Single(t => t.State == "error");

        Assert.That(failed.Error, Does.StartWith("CDP3002:").And.Contain("+w+broken").And.Contain("Table with name no_such_table does not exist"));
        Assert.That(await backend.GetLogAsync(session, "+w+broken", CancellationToken.None), Does.Contain("CDP3002"));
    }

    [Test]
    public async Task ExportsIncludesAndSessionVariablesReachOperators()
    {
        using var backend = Backend();
        var dir = WriteProject("p",
            ("w.dig", "_export:\n  !include : config/env.yml\n  td:\n    database: demo_db\n+make:\n  td>:\n  query: SELECT '${greeting}' AS g, '${session_date}' AS d\n  create_table: t\n+sub:\n  call>: other.dig\n"),
            ("config/env.yml", "greeting: hello\n"),
            ("other.dig", "+inner:\n  td>:\n  query: SELECT g || '-${task_name}' AS g FROM t\n  insert_into: t\n"));
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        Assert.That((await backend.GetStatusAsync(session, CancellationToken.None)).State, Is.EqualTo(RunState.Success),
            () => backend.GetLogAsync(session, "", CancellationToken.None).Result);

        var rows = await backend.QueryAsync("demo_db", "SELECT g, d FROM t ORDER BY rowid", CancellationToken.None);
        Assert.That(rows.Rows.Select(r => r[0]), Is.EqualTo(new object?[] { "hello", "hello-+w+sub^sub+inner" }));
        Assert.That(rows.Rows[0][1], Is.EqualTo("2024-05-01"));
    }

    [Test]
    public async Task AnUnknownVariableFailsWithCdp3004()
    {
        using var backend = Backend();
        var dir = WriteProject("p", ("w.dig", "+say:\n  echo>: ${nobody_set_this}\n"));
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        var failed = (await backend.GetStatusAsync(session, CancellationToken.None)).Tasks.Single(t => t.State == "error");
        Assert.That(failed.Error, Does.StartWith("CDP3004:").And.Contain("nobody_set_this"));
    }

    [Test]
    public async Task ListingAnAbsentDatabaseGivesNoTables()
    {
        using var backend = Backend();
        Assert.That(await backend.ListTablesAsync("nothing_here", CancellationToken.None), Is.Empty);
        Assert.That(File.Exists(backend.WarehouseFile), Is.False, "reading creates no warehouse");
    }

    [Test]
    public async Task LoopForEachAndIfRunTheirBlocksWithTheirVariables()
    {
        using var backend = Backend();
        var dir = WriteProject("p", ("w.dig", """
            _export:
              td:
                database: flow_db
            +init:
              td>:
              query: SELECT 'start' AS v
              create_table: t
            +loop:
              loop>: 2
              _do:
                td>:
                query: SELECT 'loop${i}' AS v
                insert_into: t
            +each:
              for_each>:
                color: [red, blue]
              _do:
                td>:
                query: SELECT '${color}' AS v
                insert_into: t
            +no:
              if>: false
              _do:
                echo>: not this
              _else_do:
                td>:
                query: SELECT 'else' AS v
                insert_into: t
            """));
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        Assert.That((await backend.GetStatusAsync(session, CancellationToken.None)).State, Is.EqualTo(RunState.Success),
            () => backend.GetLogAsync(session, "", CancellationToken.None).Result);

        var rows = await backend.QueryAsync("flow_db", "SELECT v FROM t ORDER BY rowid", CancellationToken.None);
        Assert.That(rows.Rows.Select(r => r[0]), Is.EqualTo(new object?[] { "start", "loop0", "loop1", "red", "blue", "else" }));
    }
}

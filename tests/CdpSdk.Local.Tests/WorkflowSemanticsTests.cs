using CdpSdk.Core.Backend;
using CdpSdk.Local.Runner.Operators;

namespace CdpSdk.Local.Tests;

/// <summary>Digdag semantics beyond plain task order: resuming an interrupted attempt, _retry, _error, TD's time functions.</summary>
public sealed class WorkflowSemanticsTests
{
    string _root = null!;
    MemoryLog _log = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "cdp-semantics-tests", Guid.NewGuid().ToString("N"));
        _log = new MemoryLog();
    }

    [TearDown]
    public void TearDown() { if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true); }

    string Project(string dig)
    {
        var dir = Path.Combine(_root, "project");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "w.dig"), dig);
        return dir;
    }

    LocalBackend Backend(params IOperator[] extra) => new(Path.Combine(_root, "warehouse"), _root, _log, extra);

    static readonly DateTimeOffset Session = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    /// <summary>interrupt>: cancels the run the first time it executes, as a killed build would stop it.</summary>
    sealed class InterruptOnce(CancellationTokenSource cts) : IOperator
    {
        public int Runs { get; private set; }

        public string Name => "interrupt";

        public void Run(OperatorCall call)
        {
            if (Runs++ == 0)
            {
                cts.Cancel();
                call.Run.Cancellation.ThrowIfCancellationRequested();
            }
        }
    }

    const string AppendingWorkflow = """
        _export:
          td:
            database: db
        +setup:
          td_ddl>:
          create_databases: [db]
        +first:
          td>:
          query: SELECT 1 AS n
          insert_into: log
        +count:
          td>:
          query: SELECT count(*) AS c FROM log
          store_last_results: true
        +stop:
          interrupt>:
        +second:
          td>:
          query: SELECT ${td.last_results.c} + 1 AS n
          insert_into: log
        """;

    [Test]
    public async Task AnInterruptedAttemptResumesAtTheFirstUnfinishedTaskWithoutRepeatingAppends()
    {
        using var cts = new CancellationTokenSource();
        var interrupt = new InterruptOnce(cts);
        using var backend = Backend(interrupt);
        var revision = await backend.DeployAsync("p", Project(AppendingWorkflow), CancellationToken.None);

        Assert.That(async () => await backend.StartAsync(revision, "w", Session, cts.Token), Throws.InstanceOf<OperationCanceledException>());
        var resumed = await backend.StartAsync(revision, "w", Session, CancellationToken.None);

        var status = await backend.GetStatusAsync(resumed, CancellationToken.None);
        Assert.That(status.State, Is.EqualTo(RunState.Success), () => string.Join("\n", status.Tasks));
        var rows = (await backend.QueryAsync("db", "SELECT n FROM log ORDER BY rowid", CancellationToken.None)).Rows.Select(r => r[0]).ToList();
        // +first ran once; +second saw what +count stored in the interrupted attempt.
        Assert.That(rows, Is.EqualTo(new object[] { 1L, 2L }));
        Assert.That(interrupt.Runs, Is.EqualTo(2));
        Assert.That(await backend.GetLogAsync(resumed, "+w+first", CancellationToken.None), Does.StartWith("(finished in attempt"));
        Assert.That(_log.Lines, Has.Some.Contains("Resuming p/w"));
    }

    [Test]
    public async Task AChangedProjectStartsOverInsteadOfResuming()
    {
        using var cts = new CancellationTokenSource();
        using var backend = Backend(new InterruptOnce(cts));
        var dir = Project(AppendingWorkflow);
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        Assert.That(async () => await backend.StartAsync(revision, "w", Session, cts.Token), Throws.InstanceOf<OperationCanceledException>());

        File.WriteAllText(Path.Combine(dir, "w.dig"), AppendingWorkflow.Replace("SELECT 1 AS n", "SELECT 10 AS n"));
        var changed = await backend.DeployAsync("p", dir, CancellationToken.None);
        var run = await backend.StartAsync(changed, "w", Session, CancellationToken.None);

        Assert.That((await backend.GetStatusAsync(run, CancellationToken.None)).State, Is.EqualTo(RunState.Success));
        var rows = (await backend.QueryAsync("db", "SELECT n FROM log ORDER BY rowid", CancellationToken.None)).Rows.Select(r => r[0]).ToList();
        Assert.That(rows, Is.EqualTo(new object[] { 1L, 10L, 3L }), "the new revision runs every task again");
    }

    [Test]
    public async Task AFailingTaskIsRetriedUpToItsLimitThenItsErrorTasksRun()
    {
        using var backend = Backend();
        var revision = await backend.DeployAsync("p", Project("""
            _export:
              td:
                database: db
            _error:
              +record:
                td>:
                query: SELECT '${session_date}' AS failed_on
                insert_into: failures
            +setup:
              td_ddl>:
              create_databases: [db]
            +flaky:
              _retry:
                limit: 2
                interval: 0
                interval_type: exponential
              td>:
              query: SELECT * FROM no_such_table
            +never:
              echo>: not reached
            """), CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", Session, CancellationToken.None);

        var status = await backend.GetStatusAsync(session, CancellationToken.None);
        Assert.That(status.State, Is.EqualTo(RunState.Error));
        Assert.That(_log.Lines.Count(l => l.StartsWith("+w+flaky: retry", StringComparison.Ordinal)), Is.EqualTo(2));
        Assert.That(status.Tasks.Select(t => t.FullName), Has.No.Member("+w+never"));
        var failures = await backend.QueryAsync("db", "SELECT failed_on FROM failures", CancellationToken.None);
        Assert.That(failures.Rows.Select(r => r[0]), Is.EqualTo(new object[] { "2024-05-06" }));
    }

    [Test]
    public void RetryWaitsAreConstantOrDoublingIntervals()
    {
        var exponential = Runner.RetryPolicy.Parse(new OrderedDictionary<string, object?> { ["limit"] = "3", ["interval"] = "10", ["interval_type"] = "exponential" }, "t");
        var constant = Runner.RetryPolicy.Parse("4", "t");
        Assert.That(new[] { 1, 2, 3 }.Select(n => exponential.Wait(n).TotalSeconds), Is.EqualTo(new[] { 10.0, 20.0, 40.0 }));
        Assert.That(constant, Is.EqualTo(new Runner.RetryPolicy(4, 0, false)));
        Assert.That(() => Runner.RetryPolicy.Parse("many", "t"), Throws.TypeOf<Core.Diagnostics.CdpException>().With.Property("Diagnostic").Property("Code").EqualTo("CDP3010"));
    }

    [Test]
    public async Task TdTimeFunctionsRunInQueriesWithTheSessionAsScheduledTime()
    {
        using var backend = Backend();
        var revision = await backend.DeployAsync("p", Project("""
            +setup:
              td_ddl>:
              create_databases: [db]
            +times:
              td>:
              database: db
              create_table: times
              query: |
                SELECT TD_SCHEDULED_TIME() AS scheduled,
                       TD_TIME_RANGE(TD_TIME_PARSE('2024-05-06 00:00:00'), '2024-05-01', '2024-06-01') AS in_may,
                       TD_TIME_RANGE(TD_TIME_PARSE('2024-06-01'), '2024-05-01', '2024-06-01') AS june_excluded,
                       TD_TIME_FORMAT(TD_TIME_ADD(TD_SCHEDULED_TIME(), '-1d'), 'yyyy-MM-dd HH:mm:ss') AS day_before,
                       TD_TIME_FORMAT(TD_DATE_TRUNC('month', TD_SCHEDULED_TIME()), 'yyyy-MM-dd') AS month_start,
                       TD_INTERVAL(TD_TIME_PARSE('2024-05-05 12:00:00'), '-1d') AS yesterday
            """), CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", Session, CancellationToken.None);
        Assert.That((await backend.GetStatusAsync(session, CancellationToken.None)).State, Is.EqualTo(RunState.Success), () => string.Join("\n", _log.Lines));

        var row = (await backend.QueryAsync("db", "SELECT * FROM times", CancellationToken.None)).Rows.Single();
        Assert.That(row, Is.EqualTo(new object[] { Session.ToUnixTimeSeconds(), true, false, "2024-05-05 07:08:09", "2024-05-01", true }));
    }

    [Test]
    public async Task AnOperatorTheLocalTargetCannotRunFailsWithACodeNamingFileAndTask()
    {
        using var backend = Backend();
        var revision = await backend.DeployAsync("p", Project("+script:\n  sh>: ./run.sh\n"), CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", Session, CancellationToken.None);

        var failed = (await backend.GetStatusAsync(session, CancellationToken.None)).Tasks.Single(t => t.State == "error");
        Assert.That(failed.Error, Does.StartWith("CDP3001").And.Contain("+w+script").And.Contain("w.dig").And.Contain("sh>"));
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>Whole phases through the real PhaseRunner with the TreasureData backend against the fake.</summary>
public sealed class PipelineTests : FakeTdTest
{
    [Test]
    public async Task EveryPhaseCompletesAndValidatesOnTheFake()
    {
        var spec = _project.Spec();
        foreach (var phase in PhaseOrder.All) await _project.RunPhaseAsync(spec, phase);

        var state = _project.State.Load();
        Assert.That(PhaseOrder.All.Select(p => state.Phase(p).Status), Is.All.EqualTo(PhaseStatus.Succeeded));
        Assert.That(state.Phase(Phase.Unification).Tables.Select(t => t.Table), Does.Contain("enriched_shop_customers").And.Contain("td_id_lookup"));
        // shop has Mode=both: historical then incremental, each its own attempt.
        Assert.That(state.Phase(Phase.Ingestion).Sessions.Select(s => s.Workflow), Is.EqualTo(new[] { "shop_ingest_hist", "shop_ingest_inc" }));
        Assert.That(_server.Pushes, Is.EqualTo(4));
    }

    [Test]
    public async Task EachPollSaysWhichWorkflowAndTaskAreRunning()
    {
        var spec = _project.Spec();
        await _project.RunPhaseAsync(spec, Phase.Ingestion);

        // What the terminal logger's live line shows: the workflow as Execute starts it, then the task a poll saw running.
        var progressed = _project.Log.Progressed;
        Assert.That(progressed, Does.Contain(new Core.Backend.WorkProgress("shop_ingest_hist")));
        var running = progressed.Where(p => p.Task is not null).ToList();
        Assert.That(running.Select(p => p.Workflow).Distinct(), Is.EqualTo(new[] { "shop_ingest_hist", "shop_ingest_inc" }));
        Assert.That(running.Select(p => p.Task), Has.All.Match(@"^\+shop_ingest_(hist|inc)\+\S+"));
    }

    [Test]
    public async Task WithOneRequestInFiveFailingThePipelineCompletesWithoutDuplicates()
    {
        _server.Faults.TransientRate = 0.2;
        var spec = _project.Spec();
        foreach (var phase in PhaseOrder.All) await _project.RunPhaseAsync(spec, phase);

        Assert.That(_server.Faults.Injected, Is.GreaterThan(5), "the faults must actually have happened");
        lock (_server.Gate)
        {
            Assert.That(_server.Pushes, Is.EqualTo(4), "one push per phase");
            Assert.That(_server.AttemptsCreated, Is.EqualTo(_server.Sessions.Count), "one attempt per session");
            Assert.That(_server.JobsCreated, Is.EqualTo(_server.Jobs.Select(j => j.DomainKey).Distinct().Count()));
            Assert.That(_server.Jobs.Count, Is.EqualTo(2), "one ingestion_log check and one coverage query");
        }
    }

    [Test]
    public async Task AnInterruptedMonitorReattachesToTheSameAttempt()
    {
        var spec = _project.Spec();
        _server.PollsToFinish = 1;
        lock (_server.Gate) _server.HeldWorkflows.Add("shop_ingest_inc"); // the historical load ends, the incremental one keeps running
        foreach (var step in new[] { Step.Generate, Step.Deploy, Step.Execute })
            await PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), step);
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            Assert.CatchAsync<OperationCanceledException>(() => PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion, cancel.Token), Step.Monitor));
        var attempts = _server.AttemptsCreated;

        lock (_server.Gate) _server.HeldWorkflows.Clear();
        await PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), Step.Monitor);
        await PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), Step.Validate);

        Assert.That(_server.AttemptsCreated, Is.EqualTo(attempts));
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task AFailedWorkflowIsACodedErrorWithTheTaskAndItsLogTail()
    {
        var spec = _project.Spec();
        _server.Outcomes["shop_ingest_hist"] = new WorkflowOutcome(FailTask: "load", FailMessage: "Database 'acme_raw' not found", FailLog: "connector: could not open bucket");
        foreach (var step in new[] { Step.Generate, Step.Deploy })
            await PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), step);
        var e = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), Step.Execute));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP4001"));
        Assert.That(e.Message, Does.Contain("+shop_ingest_hist+load_customers+load").And.Contain("could not open bucket").And.Contain("CdpCreateMissingDatabases"));
    }

    [Test]
    public async Task AKilledWorkflowIsReportedAsKilled()
    {
        var spec = _project.Spec();
        _server.Outcomes["shop_ingest_inc"] = new WorkflowOutcome(Kill: true);
        foreach (var step in new[] { Step.Generate, Step.Deploy, Step.Execute })
            await PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), step);
        var e = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(_project.Context(spec, Phase.Ingestion), Step.Monitor));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP4003"));
    }
}

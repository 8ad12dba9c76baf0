using System.Diagnostics;
using System.Text.Json.Nodes;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Testing;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// Every entry of the diagnosis catalogue provoked on the fake TD as it happens on TD (a push refused for
/// a .dig, a Presto error in a task, a 401, a deleted secret, a held or killed attempt, a run of 503s, an
/// empty table), each step run through StepHealer as CdpRunStep runs it, with the TreasureData backend.
/// Checked per entry: the diagnosis; HumanInLoop stopping with the code, the approval switch and the
/// pending fix, or applying an automatic fix; the decision in run_log.jsonl; the rerun with CdpApprove
/// (after the fault on TD is gone where only the user could remove it) completing the phase; Autonomous
/// applying what is confident enough and stopping otherwise; backups of the files a fix touches.
/// </summary>
public class SelfHealingTests : FakeTdTest
{
    // ---- CDP6101: a workflow file TD refuses at push ----

    [Test]
    [Reaches(DiagnosisCatalog.WorkflowSyntax)]
    public async Task AWorkflowFileTdRefusesStopsForApprovalAndTheApprovedRerunRegeneratesItFromABackup()
    {
        // Kept (CdpHandEditedFiles=Keep), so the broken file reaches TD; by default Deploy would stop first with CDP6111.
        var spec = KeepHandEdits(Healing(_project.Spec()));
        var (dig, broken) = await BreakAWorkflowFileAsync(spec);

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, Step.Deploy);

        AssertStopped(e, DiagnosisCatalog.WorkflowSyntax, Phase.Ingestion, step, approvable: true);
        Assert.That(e.Message, Does.Contain("shop_ingest_hist.dig"));
        Assert.That(_server.Pushes, Is.Zero, "TD keeps nothing of a refused push");

        await HealAsync(Approve(spec, DiagnosisCatalog.WorkflowSyntax), Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.WorkflowSyntax);
        Assert.That(File.ReadAllText(dig), Does.Not.Contain("+oops"), "regenerated");
        AssertBackedUp(dig, broken);
    }

    /// <summary>
    /// A kept hand edit after the phase ran is a new revision, deployed without a new Generate: it must run as
    /// a new session, since TD answers the same session time with the finished session instead of running it.
    /// </summary>
    [Test]
    public async Task AKeptHandEditDeployedAfterARunRunsAsANewSession()
    {
        var spec = KeepHandEdits(Healing(_project.Spec()));
        await HealPhaseAsync(spec, Phase.Ingestion);
        var before = _project.State.Load().Phase(Phase.Ingestion);
        var attempts = _server.AttemptsCreated;
        var dig = Path.Combine(_project.Context(spec, Phase.Ingestion).ProjectDirectory, "shop_ingest_inc.dig");
        File.AppendAllText(dig, "\n# tuned by hand\n");

        await HealAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);

        var after = _project.State.Load().Phase(Phase.Ingestion);
        Assert.That(after.Revision!.Name, Is.Not.EqualTo(before.Revision!.Name), "the edit is a new revision");
        Assert.That(after.SessionTime, Is.GreaterThan(before.SessionTime!.Value), "a new run gets a new session time");
        Assert.That(_server.AttemptsCreated, Is.GreaterThan(attempts), "the edited workflow really ran");
        Assert.That(after.Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task AWorkflowFileTdRefusesIsRegeneratedInOneAutonomousRun()
    {
        var spec = KeepHandEdits(Healing(_project.Spec(), RunMode.Autonomous));
        var (dig, broken) = await BreakAWorkflowFileAsync(spec);

        await HealAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.WorkflowSyntax, RunMode.Autonomous);
        AssertBackedUp(dig, broken);
    }

    // ---- CDP6102: a database missing at deploy ----

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    [Reaches(DiagnosisCatalog.MissingDatabase)]
    public async Task ADatabaseMissingAtDeployIsCreatedOnApprovalOrInAutonomousMode(RunMode mode)
    {
        // HistUnion reads acme_src, which only Ingestion creates; here Ingestion never ran.
        var spec = Healing(_project.Spec(), mode);
        await HealAsync(spec, Phase.HistUnion, Step.Generate);

        if (mode == RunMode.HumanInLoop)
        {
            var (e, step) = await StopsAsync(spec, Phase.HistUnion, Step.Deploy);
            AssertStopped(e, DiagnosisCatalog.MissingDatabase, Phase.HistUnion, step, approvable: true);
            Assert.That(e.Message, Does.Contain("acme_src"));
            lock (_server.Gate) Assert.That(_server.Databases, Does.Not.Contain("acme_src"), "nothing is created before approval");
            spec = Approve(spec, DiagnosisCatalog.MissingDatabase);
        }
        await HealAsync(spec, Phase.HistUnion, Step.Deploy);

        lock (_server.Gate) Assert.That(_server.Databases, Does.Contain("acme_src"));
        Assert.That(_project.State.Load().Phase(Phase.HistUnion).Revision, Is.Not.Null, "deployed once the database exists");
        Assert.That(Decisions(DiagnosisCatalog.MissingDatabase, "apply_fix").Single()["mode"]!.GetValue<string>(), Is.EqualTo(mode.ToString()));
        CatalogueCoverage.Reached(DiagnosisCatalog.MissingDatabase);
    }

    // ---- CDP6103: a table the upstream phase did not leave ----

    [Test]
    [Reaches(DiagnosisCatalog.MissingTable)]
    public async Task AMissingUpstreamTableStopsForApprovalAndTheApprovedRerunRebuildsTheUpstreamPhase()
    {
        // HistUnion was skipped, so Staging's query reads a table that does not exist.
        var spec = Healing(_project.Spec());
        await HealPhaseAsync(spec, Phase.Ingestion);

        var (e, step) = await StopsAsync(spec, Phase.Staging, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);

        AssertStopped(e, DiagnosisCatalog.MissingTable, Phase.Staging, step, approvable: true);
        Assert.That(e.Message, Does.Contain("acme_src.shop_customers_hist_union"));

        await HealAsync(Approve(spec, DiagnosisCatalog.MissingTable), Phase.Staging, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Staging, DiagnosisCatalog.MissingTable);
        Assert.That(_project.State.Load().Phase(Phase.HistUnion).Status, Is.EqualTo(PhaseStatus.Succeeded), "the upstream phase ran as the fix");
    }

    [Test]
    public async Task AMissingUpstreamTableIsNotRebuiltInAutonomousModeBelowTheMinimumConfidence()
    {
        var spec = Healing(_project.Spec(), RunMode.Autonomous);
        await HealPhaseAsync(spec, Phase.Ingestion);

        var (e, step) = await StopsAsync(spec, Phase.Staging, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);

        AssertStopped(e, DiagnosisCatalog.MissingTable, Phase.Staging, step, approvable: true);
        Assert.That(Decisions(DiagnosisCatalog.MissingTable, "stop").Single()["reason"]!.GetValue<string>(), Does.Contain("below CdpAutoFixMinConfidence"));
        Assert.That(_project.State.Load().Phase(Phase.HistUnion).Status, Is.EqualTo(PhaseStatus.NotStarted));
    }

    // ---- CDP6104: a wrong column, matched to the closest column of the input table ----

    [Test]
    [Reaches(DiagnosisCatalog.MissingColumn)]
    public async Task AWrongColumnStopsWithTheClosestColumnAndTheApprovedRerunCorrectsTheProjectFile()
    {
        var spec = await WrongEmailColumnAsync("emial", RunMode.HumanInLoop);

        var (e, step) = await StopsAsync(spec, Phase.Staging, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);

        AssertStopped(e, DiagnosisCatalog.MissingColumn, Phase.Staging, step, approvable: true);
        Assert.That(e.Message, Does.Contain("'emial'").And.Contain("'email'").And.Contain("EmailColumns=\"email\""), "the proposed change is shown as a diff");
        var original = File.ReadAllText(_project.ProjectFile);

        await HealAsync(Approve(spec, DiagnosisCatalog.MissingColumn), Phase.Staging, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Staging, DiagnosisCatalog.MissingColumn);
        Assert.That(File.ReadAllText(_project.ProjectFile), Does.Contain("EmailColumns=\"email\"").And.Not.Contain("emial"));
        AssertBackedUp(_project.ProjectFile, original);
    }

    [TestCase("emal", true)]    // one edit from 'email': confidence 0.8
    [TestCase("emial", false)]  // two edits: confidence 0.6, below CdpAutoFixMinConfidence
    public async Task AutonomousModeCorrectsAWrongColumnInOneRunOnlyWhenConfidentEnough(string typo, bool corrected)
    {
        var spec = await WrongEmailColumnAsync(typo, RunMode.Autonomous);

        if (corrected)
        {
            await HealAsync(spec, Phase.Staging, PhaseOrder.Steps.ToArray());
            AssertCompleted(Phase.Staging, DiagnosisCatalog.MissingColumn, RunMode.Autonomous);
            Assert.That(File.ReadAllText(_project.ProjectFile), Does.Contain("EmailColumns=\"email\""));
        }
        else
        {
            var (e, step) = await StopsAsync(spec, Phase.Staging, PhaseOrder.Steps.ToArray());
            AssertStopped(e, DiagnosisCatalog.MissingColumn, Phase.Staging, step, approvable: true);
            Assert.That(File.ReadAllText(_project.ProjectFile), Does.Contain($"EmailColumns=\"{typo}\""), "nothing changed without confidence");
        }
    }

    // ---- CDP6105: a refused API key ----

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    [Reaches(DiagnosisCatalog.Authentication)]
    public async Task ARefusedApiKeyStopsInBothModesWithoutAFixToApprove(RunMode mode)
    {
        var spec = Healing(_project.Spec(), mode);
        await HealAsync(spec, Phase.Ingestion, Step.Generate);
        var wrongKey = _project.Context(spec, Phase.Ingestion) with
        {
            Backend = () => new TreasureDataBackend(spec.Settings, new ApiKey("4242/ffffffffffffffffffffffffffffffffffffffff", "test"), _project.Log),
            BackendFor = s => new TreasureDataBackend(s.Settings, new ApiKey("4242/ffffffffffffffffffffffffffffffffffffffff", "test"), _project.Log),
        };

        var e = Assert.ThrowsAsync<CdpException>(() => StepHealer.RunAsync(wrongKey, Step.Deploy))!;

        AssertStopped(e, DiagnosisCatalog.Authentication, Phase.Ingestion, Step.Deploy, approvable: false);
        Assert.That(e.Message, Does.Contain("TD_API_KEY").And.Not.Contain("ffffffffffffffffffffffffffffffffffffffff"));

        // The user sets a valid key and builds again.
        await HealAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    // ---- CDP6106: a secret deleted on TD ----

    [Test]
    [Reaches(DiagnosisCatalog.MissingSecret)]
    public async Task ASecretDeletedOnTdStopsWithoutAFixToApproveAndDeployingAgainRestoresIt()
    {
        var spec = Healing(_project.Spec());
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await HealPhaseAsync(spec, phase);
        await HealAsync(spec, Phase.Unification, Step.Generate, Step.Deploy);
        var projectId = _project.State.Load().Phase(Phase.Unification).Revision!.ProjectId;
        await Td("DELETE", $"/api/projects/{projectId}/secrets/td.apikey"); // someone removed it on TD

        var (e, step) = await StopsAsync(spec, Phase.Unification, Step.Execute, Step.Monitor);

        AssertStopped(e, DiagnosisCatalog.MissingSecret, Phase.Unification, step, approvable: false);
        Assert.That(e.Message, Does.Contain("td.apikey"));

        // The next build runs from the failed step (Deploy's stamp is current), but the healer deploys again first,
        // which sets the project's secrets; Execute then resumes the failed session in a new attempt.
        await HealAsync(spec, Phase.Unification, PhaseOrder.Steps.Where(s => s >= step).ToArray());
        Assert.That(Decisions(DiagnosisCatalog.MissingSecret, "stop"), Has.Count.EqualTo(1), "the rebuild needed no decision");
        Assert.That(_project.State.Load().Phase(Phase.Unification).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    // ---- CDP6107: a session still running at the monitor timeout ----

    [Test]
    [Reaches(DiagnosisCatalog.Timeout)]
    public async Task ASessionStillRunningAtTheTimeoutIsReattachedWithALongerTimeoutWithoutAsking()
    {
        var spec = Impatient(Healing(_project.Spec()));
        lock (_server.Gate) _server.HeldWorkflows.Add("shop_ingest_inc");
        await HealAsync(spec, Phase.Ingestion, Step.Generate, Step.Deploy, Step.Execute);
        var attempts = _server.AttemptsCreated;

        // The session ends while the reattached Monitor waits.
        ReleaseWhenDecided(DiagnosisCatalog.Timeout, "apply_fix");
        await HealAsync(spec, Phase.Ingestion, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.Timeout);
        Assert.That(_server.AttemptsCreated, Is.EqualTo(attempts), "the running session is reattached, not restarted");
    }

    [Test]
    public async Task ASessionStillRunningAfterTheLongerTimeoutStopsAndALaterBuildReattaches()
    {
        var spec = Impatient(Healing(_project.Spec()));
        lock (_server.Gate) _server.HeldWorkflows.Add("shop_ingest_inc");

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, PhaseOrder.Steps.ToArray());

        AssertStopped(e, DiagnosisCatalog.Timeout, Phase.Ingestion, step, approvable: true);
        Assert.That(Decisions(DiagnosisCatalog.Timeout, "apply_fix"), Has.Count.EqualTo(1), "the longer wait was tried once");

        var attempts = _server.AttemptsCreated;
        lock (_server.Gate) _server.HeldWorkflows.Clear();
        await HealAsync(Approve(spec, DiagnosisCatalog.Timeout), Phase.Ingestion, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.Timeout);
        Assert.That(_server.AttemptsCreated, Is.EqualTo(attempts));
    }

    // ---- CDP6108: a killed attempt ----

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)] // confidence 0.6: Autonomous asks too
    [Reaches(DiagnosisCatalog.KilledAttempt)]
    public async Task AKilledAttemptStopsForApprovalAndTheApprovedRerunResumesItInANewAttempt(RunMode mode)
    {
        var spec = Healing(_project.Spec(), mode);
        _server.Outcomes["shop_ingest_inc"] = new WorkflowOutcome(Kill: true);

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, PhaseOrder.Steps.ToArray());

        AssertStopped(e, DiagnosisCatalog.KilledAttempt, Phase.Ingestion, step, approvable: true);

        _server.Outcomes.Remove("shop_ingest_inc"); // nobody kills it this time
        await HealAsync(Approve(spec, DiagnosisCatalog.KilledAttempt), Phase.Ingestion, step, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.KilledAttempt, mode);
        Assert.That(_server.Attempts.Count(a => a.Session.Workflow == "shop_ingest_inc"), Is.EqualTo(2), "one killed attempt, one resumed");
    }

    // ---- CDP6109: transient API failures ----

    [Test]
    public async Task A503OutlastingTheHttpRetriesIsRetriedAsAStepAndEachRetryIsLogged()
    {
        _project.Properties["CdpHttpMaxRetries"] = "1";
        var spec = Healing(_project.Spec());
        await HealAsync(spec, Phase.Ingestion, Step.Generate);
        _server.Faults.Next(FaultKind.Unavailable, 2); // the request and its one HTTP retry: the step's first run fails

        await HealAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);

        var retry = Events("retry").Single(r => r["diagnosis"]?.GetValue<string>() == DiagnosisCatalog.TransientApi);
        Assert.That((retry["step"]!.GetValue<string>(), retry["attempt"]!.GetValue<int>(), retry["error"]!.GetValue<string>()), Is.EqualTo(("Deploy", 2, "CDP2004")));
        Assert.That(Events("decision"), Is.Empty, "a retry that works needs no decision");
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    [Reaches(DiagnosisCatalog.TransientApi)]
    public async Task AnOutageOutlastingEveryRetryStopsAndTheNextBuildCompletes()
    {
        _project.Properties["CdpHttpMaxRetries"] = "1";
        var spec = Healing(_project.Spec());
        await HealAsync(spec, Phase.Ingestion, Step.Generate);
        _server.Faults.Next(FaultKind.Unavailable, 10_000);

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, Step.Deploy);

        AssertStopped(e, DiagnosisCatalog.TransientApi, Phase.Ingestion, step, approvable: true);
        var attempts = spec.Settings.Healing.StepMaxAttempts;
        Assert.That(Events("retry").Count(r => r["diagnosis"]?.GetValue<string>() == DiagnosisCatalog.TransientApi), Is.EqualTo(2 * (attempts - 1)),
            "the step's retries, then once more as the automatic fix, each with its retries");

        _server.Faults.Clear(); // TD is back
        await HealAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).PendingFix, Is.Null);
    }

    // ---- CDP6110: a validation failure ----

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)] // confidence 0.5: Autonomous asks too
    [Reaches(DiagnosisCatalog.ValidationFailed)]
    public async Task AnEmptyTableStopsForApprovalAndTheApprovedRerunRunsThePhaseAgain(RunMode mode)
    {
        var spec = Healing(_project.Spec(), mode);
        _server.RowsPerTable = 0; // the source had nothing to load

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, PhaseOrder.Steps.ToArray());

        AssertStopped(e, DiagnosisCatalog.ValidationFailed, Phase.Ingestion, step, approvable: true);
        Assert.That(step, Is.EqualTo(Step.Validate));

        // The source has rows now. A later build gets a new session time (whole seconds), so the workflows really run again.
        _server.RowsPerTable = 25;
        var first = _project.State.Load().Phase(Phase.Ingestion).SessionTime!.Value;
        while (DateTimeOffset.UtcNow < first.AddSeconds(1.05)) await Task.Delay(50);
        await HealAsync(Approve(spec, DiagnosisCatalog.ValidationFailed), Phase.Ingestion, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.ValidationFailed, mode);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).SessionTime, Is.GreaterThan(first));
    }

    // ---- CDP6111: a generated file edited by hand ----

    [Test]
    [Reaches(DiagnosisCatalog.HandEdited)]
    public async Task AHandEditedWorkflowStopsBeforeTdSeesItAndTheApprovedRerunDeploysItRegenerated()
    {
        var spec = Healing(_project.Spec());
        await HealAsync(spec, Phase.Ingestion, Step.Generate);
        var dig = Path.Combine(_project.Context(spec, Phase.Ingestion).ProjectDirectory, "shop_ingest_inc.dig");
        File.AppendAllText(dig, "\n# tuned by hand\n");
        var edited = File.ReadAllText(dig);

        var (e, step) = await StopsAsync(spec, Phase.Ingestion, Step.Deploy);

        AssertStopped(e, DiagnosisCatalog.HandEdited, Phase.Ingestion, step, approvable: true);
        Assert.That(_server.Pushes, Is.Zero, "nothing reached TD");

        await HealAsync(Approve(spec, DiagnosisCatalog.HandEdited), Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);

        AssertCompleted(Phase.Ingestion, DiagnosisCatalog.HandEdited);
        Assert.That(File.ReadAllText(dig), Does.Not.Contain("tuned by hand"), "regenerated before the push");
        AssertBackedUp(dig, edited);
    }

    // ---- set-ups ----

    /// <summary>Generates Ingestion and breaks the YAML of one of its workflows, as a hand edit might.</summary>
    /// <summary>Generates Ingestion and breaks a .dig by hand; the caller keeps hand edits, so the file reaches TD.</summary>
    async Task<(string Dig, string Broken)> BreakAWorkflowFileAsync(PipelineSpec spec)
    {
        await HealAsync(spec, Phase.Ingestion, Step.Generate);
        var dig = Path.Combine(_project.Context(spec, Phase.Ingestion).ProjectDirectory, "shop_ingest_hist.dig");
        File.AppendAllText(dig, "\n+oops: [unclosed\n");
        return (dig, File.ReadAllText(dig));
    }

    /// <summary>Ingestion and HistUnion done, the union table's real columns declared, and EmailColumns misspelt.</summary>
    async Task<PipelineSpec> WrongEmailColumnAsync(string typo, RunMode mode)
    {
        var spec = Healing(_project.Spec(), mode);
        await HealPhaseAsync(spec, Phase.Ingestion);
        await HealPhaseAsync(spec, Phase.HistUnion);
        _server.DeclareTable("acme_src", "shop_customers_hist_union", 25, "id", "email", "phone", "updated_at", "time");
        _project.EmailColumn = typo;
        return Healing(_project.Spec(), mode);
    }

    static PipelineSpec KeepHandEdits(PipelineSpec spec) =>
        spec with { Settings = spec.Settings with { Healing = spec.Settings.Healing with { HandEdits = HandEditPolicy.Keep } } };

    static PipelineSpec Healing(PipelineSpec spec, RunMode mode = RunMode.HumanInLoop) =>
        spec with { Settings = spec.Settings with { Healing = spec.Settings.Healing with { Mode = mode, StepRetryDelay = TimeSpan.FromMilliseconds(1) } } };

    /// <summary>The same build settings plus -p:CdpApprove=code.</summary>
    static PipelineSpec Approve(PipelineSpec spec, string code) =>
        spec with { Settings = spec.Settings with { Healing = spec.Settings.Healing with { Approved = [code] } } };

    static PipelineSpec Impatient(PipelineSpec spec) =>
        spec with { Settings = spec.Settings with { MonitorTimeout = TimeSpan.FromMilliseconds(300) } };

    /// <summary>Lets the held workflows finish once the run log shows the decision (the reattached Monitor is then waiting).</summary>
    void ReleaseWhenDecided(string code, string decision) => _ = Task.Run(async () =>
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(30);
        while (DateTimeOffset.UtcNow < until)
        {
            try
            {
                if (Decisions(code, decision).Count > 0) break;
            }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException) { } // a line being appended
            await Task.Delay(10);
        }
        lock (_server.Gate) _server.HeldWorkflows.Clear();
    });

    // ---- running steps as the build does ----

    Task HealPhaseAsync(PipelineSpec spec, Phase phase) => HealAsync(spec, phase, PhaseOrder.Steps.ToArray());

    /// <summary>
    /// Each step through StepHealer, as the step targets call CdpRunStep; a fix that changed the phase's
    /// configuration is carried to the following steps, as CdpRunStep writes it back to the spec file.
    /// </summary>
    async Task HealAsync(PipelineSpec spec, Phase phase, params Step[] steps)
    {
        foreach (var step in steps)
        {
            var ctx = _project.Context(spec, phase);
            var outcome = await StepHealer.RunAsync(ctx, step);
            if (outcome.Context.ConfigHash != ctx.ConfigHash) spec = outcome.Context.Spec with { Settings = spec.Settings };
        }
    }

    /// <summary>Runs the steps until one stops the build, and gives its error and the step.</summary>
    async Task<(CdpException Error, Step Step)> StopsAsync(PipelineSpec spec, Phase phase, params Step[] steps)
    {
        foreach (var step in steps)
        {
            try { await StepHealer.RunAsync(_project.Context(spec, phase), step); }
            catch (CdpException e) { return (e, step); }
        }
        Assert.Fail($"{phase} did not stop in {string.Join(", ", steps)}");
        throw new UnreachableException();
    }

    // ---- what the user sees ----

    /// <summary>
    /// The build stopped with the diagnosis code, the decision is in the run log, and an approvable fix is
    /// offered with its switch and waits in the state; a fix only the user can make offers no switch.
    /// </summary>
    void AssertStopped(CdpException e, string code, Phase phase, Step step, bool approvable)
    {
        var pending = _project.State.Load().Phase(phase).PendingFix;
        Assert.Multiple(() =>
        {
            Assert.That(e.Diagnostic.Code, Is.EqualTo(code), e.Message);
            Assert.That(Decisions(code, "stop").Select(d => (d["phase"]!.GetValue<string>(), d["step"]!.GetValue<string>())), Does.Contain((phase.ToString(), step.ToString())));
            if (approvable)
            {
                Assert.That(e.Message, Does.Contain($"-p:CdpApprove={code}"));
                Assert.That((pending?.Diagnosis.Code, pending?.Step), Is.EqualTo(((string?)code, (Step?)step)));
            }
            else
            {
                Assert.That(e.Message, Does.Not.Contain("CdpApprove"));
                // A missing secret is remembered (without a fix to approve) so the next build deploys it.
                Assert.That(pending?.Diagnosis.Code, Is.EqualTo(code == DiagnosisCatalog.MissingSecret ? code : null));
            }
        });
        CatalogueCoverage.Reached(code);
    }

    /// <summary>The phase validated after the fix of <paramref name="code"/> was applied, and nothing is pending.</summary>
    void AssertCompleted(Phase phase, string code, RunMode mode = RunMode.HumanInLoop)
    {
        var state = _project.State.Load().Phase(phase);
        Assert.That((state.Status, state.PendingFix), Is.EqualTo((PhaseStatus.Succeeded, (PendingFix?)null)));
        Assert.That(Decisions(code, "apply_fix").Select(d => d["mode"]!.GetValue<string>()), Does.Contain(mode.ToString()));
        CatalogueCoverage.Reached(code);
    }

    /// <summary>A backup under obj/cdp/backups/ holds the file as it was before the fix, and restores it.</summary>
    void AssertBackedUp(string path, string before)
    {
        var backups = new FileBackups(Path.Combine(Path.GetDirectoryName(_project.State.Path)!, "backups"));
        var backup = backups.List().Single(b => b.Files.Any(f => f.OriginalPath == Path.GetFullPath(path)));
        var after = File.ReadAllText(path);
        backups.Restore(backup.Id);
        Assert.That(File.ReadAllText(path), Is.EqualTo(before));
        File.WriteAllText(path, after);
    }

    IReadOnlyList<JsonObject> Events(string kind) =>
        RunLog.Beside(_project.State.Path).Read().Where(e => e["event"]!.GetValue<string>() == kind).ToList();

    IReadOnlyList<JsonObject> Decisions(string code, string decision) =>
        Events("decision").Where(d => d["diagnosis"]?.GetValue<string>() == code && d["decision"]?.GetValue<string>() == decision).ToList();

    /// <summary>A request to the fake TD as a user's tool (td, the console) would send it.</summary>
    async Task Td(string method, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), _server.BaseUrl + path);
        request.Headers.TryAddWithoutValidation("Authorization", "TD1 " + _server.ApiKey);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }
}

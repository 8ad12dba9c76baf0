using System.Diagnostics;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// Every entry of the diagnosis catalogue provoked on the fake TD the way it happens on TD (a refused
/// push, a Presto error in a task, a 401, a deleted secret, a held or killed attempt, a run of 503s, an
/// empty table), through the real TreasureData backend and PhaseRunner; each failure must be diagnosed
/// with its code, fix kind and fix, and the fix, applied by hand here, must let the failed step resume.
/// </summary>
public sealed class SelfHealingTests
{
    FakeTdServer _server = null!;
    TdProject _project = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await FakeTdServer.StartAsync();
        _project = new TdProject(_server);
    }

    [TearDown]
    public async Task TearDown()
    {
        _project.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task AWorkflowFileTdRefusesAtPushIsDiagnosedAsInvalidAndRegenerated()
    {
        var spec = _project.Spec();
        await RunAsync(spec, Phase.Ingestion, Step.Generate);
        // A hand edit that breaks the YAML of a generated workflow.
        var dig = Path.Combine(_project.Context(spec, Phase.Ingestion).ProjectDirectory, "shop_ingest_hist.dig");
        File.AppendAllText(dig, "\n+oops: [unclosed\n");

        var (e, step) = await FailureAsync(spec, Phase.Ingestion, Step.Deploy);
        var d = Diagnose(e, Phase.Ingestion, step);

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP2001"));
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.WorkflowSyntax, FixKind.Automatic, (string?)"dotnet build -t:CdpGenerate")));
        Assert.That(d.Cause, Does.StartWith("'shop_ingest_hist.dig'"));
        Assert.That(_server.Pushes, Is.Zero, "TD keeps nothing of a refused push");

        await RunAsync(spec, Phase.Ingestion, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task ADatabaseMissingAtDeployIsDiagnosedWithTheCommandThatCreatesIt()
    {
        // HistUnion reads acme_src, which only Ingestion creates; here Ingestion never ran.
        var spec = _project.Spec();
        await RunAsync(spec, Phase.HistUnion, Step.Generate);

        var (e, step) = await FailureAsync(spec, Phase.HistUnion, Step.Deploy);
        var d = Diagnose(e, Phase.HistUnion, step);

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP2010"));
        Assert.That((d.Code, d.Kind, d.Fix.Command, d.AppliesAutonomously(0.8)),
            Is.EqualTo((DiagnosisCatalog.MissingDatabase, FixKind.Automatic, (string?)"td db:create acme_src", true)));

        await Td("POST", "/v3/database/create/acme_src"); // the proposed command, through TD's API
        await RunAsync(spec, Phase.HistUnion, Step.Deploy);
        Assert.That(_project.State.Load().Phase(Phase.HistUnion).Revision, Is.Not.Null);
    }

    [Test]
    public async Task ATableTheUpstreamPhaseDidNotLeaveIsDiagnosedAsMissingAndTheUpstreamPhaseRerun()
    {
        // HistUnion was skipped, so Staging's query reads a table that does not exist.
        var spec = _project.Spec();
        await RunPhaseAsync(spec, Phase.Ingestion);

        var (e, step) = await FailureAsync(spec, Phase.Staging, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);
        var d = Diagnose(e, Phase.Staging, step);

        Assert.That((e.Diagnostic.Code, step), Is.EqualTo(("CDP4001", Step.Monitor)));
        Assert.That(e.Message, Does.Contain("Table 'td-presto.acme_src.shop_customers_hist_union' does not exist"));
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.MissingTable, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpPipeline")));
        Assert.That(d.Title, Does.Contain("acme_src.shop_customers_hist_union"));

        await RunPhaseAsync(spec, Phase.HistUnion);
        await RunAsync(spec, Phase.Staging, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [TestCase("emal", 0.8)]
    [TestCase("emial", 0.6)]
    public async Task AWrongColumnIsDiagnosedWithTheClosestColumnOfTheInputTable(string typo, double confidence)
    {
        var spec = _project.Spec();
        await RunPhaseAsync(spec, Phase.Ingestion);
        await RunPhaseAsync(spec, Phase.HistUnion);
        // The columns the connector really loaded: a query naming another one fails as on Presto.
        _server.DeclareTable("acme_src", "shop_customers_hist_union", 25, "id", "email", "phone", "updated_at", "time");
        _project.EmailColumn = typo;
        var wrong = _project.Spec();

        var (e, step) = await FailureAsync(wrong, Phase.Staging, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);
        var d = Diagnose(e, Phase.Staging, step, await InputColumnsAsync(wrong, "acme_src", "shop_customers_hist_union"));

        Assert.That(e.Message, Does.Contain($"Column 't.{typo}' cannot be resolved"));
        Assert.That((d.Code, d.Kind, d.Fix.Diff), Is.EqualTo((DiagnosisCatalog.MissingColumn, FixKind.NeedsApproval, (string?)$"- {typo}\n+ email")));
        Assert.That(d.Confidence, Is.EqualTo(confidence).Within(0.001));

        _project.EmailColumn = "email"; // the proposed change
        await RunPhaseAsync(_project.Spec(), Phase.Staging);
        Assert.That(_project.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task ARefusedApiKeyIsDiagnosedAsAuthenticationThatOnlyTheUserCanFix()
    {
        var spec = _project.Spec();
        await RunAsync(spec, Phase.Ingestion, Step.Generate);
        var wrongKey = new StepContext(spec, Phase.Ingestion, "hash", _project.State,
            () => new TreasureDataBackend(spec.Settings, new ApiKey("4242/ffffffffffffffffffffffffffffffffffffffff", "test"), _project.Log), _project.Log, default);

        var e = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(wrongKey, Step.Deploy))!;
        var d = Diagnose(e, Phase.Ingestion, Step.Deploy);

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP2003"));
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0)), Is.EqualTo((DiagnosisCatalog.Authentication, FixKind.Impossible, false)));
        Assert.That(d.Fix.Description, Does.Contain("TD_API_KEY"));
        Assert.That(e.Message + d.Cause + d.Fix.Description, Does.Not.Contain("ffffffffffffffffffffffffffffffffffffffff"), "the key is never shown");
    }

    [Test]
    public async Task ASecretDeletedOnTdIsDiagnosedAsMissingAndRestoredByDeployingAgain()
    {
        var spec = _project.Spec();
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await RunPhaseAsync(spec, phase);
        await RunAsync(spec, Phase.Unification, Step.Generate, Step.Deploy);
        var projectId = _project.State.Load().Phase(Phase.Unification).Revision!.ProjectId;
        await Td("DELETE", $"/api/projects/{projectId}/secrets/td.apikey"); // someone removed it on TD

        var (e, step) = await FailureAsync(spec, Phase.Unification, Step.Execute, Step.Monitor);
        var d = Diagnose(e, Phase.Unification, step);

        Assert.That(e.Message, Does.Contain("Secret not found for key: 'td.apikey'"));
        Assert.That((d.Code, d.Title, d.Kind), Is.EqualTo((DiagnosisCatalog.MissingSecret, "Secret 'td.apikey' is missing", FixKind.Impossible)));

        // Deploy sets the project's secrets again; Execute then resumes the failed session in a new attempt.
        await RunAsync(spec, Phase.Unification, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Unification).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task ASessionStillRunningAtTheMonitorTimeoutIsDiagnosedAndReattached()
    {
        var spec = _project.Spec();
        var impatient = spec with { Settings = spec.Settings with { MonitorTimeout = TimeSpan.FromMilliseconds(300) } };
        lock (_server.Gate) _server.HeldWorkflows.Add("shop_ingest_inc");

        var (e, step) = await FailureAsync(impatient, Phase.Ingestion, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);
        var d = Diagnose(e, Phase.Ingestion, step);

        Assert.That((e.Diagnostic.Code, step), Is.EqualTo(("CDP4002", Step.Monitor)));
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.Timeout, FixKind.Automatic, true)));

        var attempts = _server.AttemptsCreated;
        lock (_server.Gate) _server.HeldWorkflows.Clear();
        await RunAsync(spec, Phase.Ingestion, Step.Monitor, Step.Validate);
        Assert.That(_server.AttemptsCreated, Is.EqualTo(attempts), "the running session is reattached, not restarted");
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task AKilledAttemptIsDiagnosedAndResumedInANewAttempt()
    {
        var spec = _project.Spec();
        _server.Outcomes["shop_ingest_inc"] = new WorkflowOutcome(Kill: true);

        var (e, step) = await FailureAsync(spec, Phase.Ingestion, Step.Generate, Step.Deploy, Step.Execute, Step.Monitor);
        var d = Diagnose(e, Phase.Ingestion, step);

        Assert.That((e.Diagnostic.Code, step), Is.EqualTo(("CDP4003", Step.Monitor)));
        Assert.That((d.Code, d.Kind, d.AppliesAutonomously(0.8)), Is.EqualTo((DiagnosisCatalog.KilledAttempt, FixKind.NeedsApproval, false)));

        _server.Outcomes.Remove("shop_ingest_inc");
        await RunAsync(spec, Phase.Ingestion, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_server.Attempts.Count(a => a.Session.Workflow == "shop_ingest_inc"), Is.EqualTo(2), "one killed attempt, one resumed");
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task A503OutlastingTheHttpRetriesIsDiagnosedAsTransient()
    {
        _project.Properties["CdpHttpMaxRetries"] = "1";
        var spec = _project.Spec();
        await RunAsync(spec, Phase.Ingestion, Step.Generate);
        _server.Faults.Next(FaultKind.Unavailable, 2); // the request and its one retry

        var (e, step) = await FailureAsync(spec, Phase.Ingestion, Step.Deploy);
        var d = Diagnose(e, Phase.Ingestion, step);

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP2004"));
        Assert.That((d.Code, d.Kind, d.Confidence), Is.EqualTo((DiagnosisCatalog.TransientApi, FixKind.Automatic, 1.0)));

        await RunAsync(spec, Phase.Ingestion, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    [Test]
    public async Task AnEmptyTableIsDiagnosedAsAValidationFailureAndThePhaseRerun()
    {
        var spec = _project.Spec();
        _server.RowsPerTable = 0; // the source had nothing to load

        var (e, step) = await FailureAsync(spec, Phase.Ingestion, PhaseOrder.Steps.ToArray());
        var d = Diagnose(e, Phase.Ingestion, step);

        Assert.That((e.Diagnostic.Code, step), Is.EqualTo(("CDP5002", Step.Validate)));
        Assert.That((d.Code, d.Kind, d.Fix.Command), Is.EqualTo((DiagnosisCatalog.ValidationFailed, FixKind.NeedsApproval, (string?)"dotnet build -t:CdpValidate -p:CdpPhase=Ingestion")));

        // The source's rows arrive on TD; validating again (the proposed command) passes.
        lock (_server.Gate)
            foreach (var table in _server.Tables.Where(t => t.Key.Database == "acme_src" && t.Value.Rows == 0)) table.Value.Rows = 25;
        await RunAsync(spec, Phase.Ingestion, Step.Validate);
        Assert.That(_project.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
    }

    // ---- helpers ----

    static CdpSdk.Core.Diagnosis.Diagnosis Diagnose(CdpException e, Phase phase, Step step, IReadOnlyList<string>? columns = null) =>
        DiagnosisCatalog.Diagnose(new Failure(e.Diagnostic.Code, e.Message, phase, step, e.Diagnostic.Location.File, columns));

    Task RunPhaseAsync(PipelineSpec spec, Phase phase) => RunAsync(spec, phase, PhaseOrder.Steps.ToArray());

    async Task RunAsync(PipelineSpec spec, Phase phase, params Step[] steps)
    {
        foreach (var step in steps) await PhaseRunner.RunAsync(_project.Context(spec, phase), step);
    }

    /// <summary>Runs the steps in order until one fails, and gives its error and the step.</summary>
    async Task<(CdpException Error, Step Step)> FailureAsync(PipelineSpec spec, Phase phase, params Step[] steps)
    {
        foreach (var step in steps)
        {
            try { await PhaseRunner.RunAsync(_project.Context(spec, phase), step); }
            catch (CdpException e) { return (e, step); }
        }
        Assert.Fail($"{phase} did not fail in {string.Join(", ", steps)}");
        throw new UnreachableException();
    }

    /// <summary>The table's columns as TD lists them: what the build offers the diagnosis for a wrong column.</summary>
    async Task<IReadOnlyList<string>> InputColumnsAsync(PipelineSpec spec, string database, string table)
    {
        using var backend = _project.Backend(spec);
        return (await backend.ListTablesAsync(database, CancellationToken.None)).Single(t => t.Name == table).Columns;
    }

    /// <summary>A request to the fake TD as a user's tool (td, the console) would send it.</summary>
    async Task Td(string method, string path)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), _server.BaseUrl + path);
        request.Headers.TryAddWithoutValidation("Authorization", "TD1 " + _server.ApiKey);
        (await http.SendAsync(request)).EnsureSuccessStatusCode();
    }
}

using System.Net;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The same failures run through the StepHealer as a build runs them: HumanInLoop stops with the
/// diagnosis and the switch that approves it, the proposal waits in the state, the decision is in the run
/// log; a rerun with the approval backs up what the fix touches, applies it and completes the phase;
/// Autonomous applies a confident fix in one build and stops otherwise; transient failures are retried.
/// </summary>
public partial class SelfHealingTests
{
    [Test]
    public async Task MisspeltColumnStopsThenTheApprovedRenameIsBackedUpAndTheStagingRunCompletes()
    {
        var spec = WithTransform("cleaned_emial");
        var sql = Path.Combine(Sample.Root, "sql", "web_signups.sql");
        var original = FileBackups.Hash(sql);
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        var stop = await BuildAsync(h, Phase.Staging, Healing(spec));
        var pending = AssertStopped(stop, h, Phase.Staging, DiagnosisCatalog.MissingColumn, approvable: true);
        Assert.That(stop!.Message, Does.Contain("- CASE WHEN cleaned_emial IS NULL").And.Contain("+ CASE WHEN cleaned_email IS NULL"));
        Assert.That(File.ReadAllText(sql), Does.Contain("cleaned_emial"), "nothing is changed before approval");

        Assert.That(await BuildAsync(h, Phase.Staging, Healing(spec, approved: DiagnosisCatalog.MissingColumn), from: pending.Step), Is.Null);

        Assert.That(File.ReadAllText(sql), Does.Contain("cleaned_email IS NULL").And.Not.Contain("emial"));
        Assert.That(BackupOf(h, sql), Is.EqualTo(original), "the backup holds the file as the user wrote it");
        AssertApplied(h, Phase.Staging, DiagnosisCatalog.MissingColumn);
        await AssertStagingCompleted(h);
    }

    [TestCase("cleaned_emial", true)]
    [TestCase("emial", false)]
    public async Task AutonomousRenamesAConfidentColumnInOneBuildAndStopsOnAnUnsureOne(string wrong, bool fixedInOneBuild)
    {
        var spec = WithTransform(wrong);
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        var stop = await BuildAsync(h, Phase.Staging, Healing(spec, RunMode.Autonomous));

        if (fixedInOneBuild)
        {
            Assert.That(stop, Is.Null, () => stop!.Message);
            Assert.That(new FileBackups(h.Context(Phase.Staging).BackupsDirectory).List(), Has.Count.EqualTo(1));
            AssertApplied(h, Phase.Staging, DiagnosisCatalog.MissingColumn);
            await AssertStagingCompleted(h);
            Assert.That(HealTransitions(h, Phase.Staging), Does.Contain("Running→Diagnosing, Diagnosing→Fixing CDP6104, Fixing→Running, Running→Succeeded"),
                "the healer's transitions, in the run log");
        }
        else
        {
            AssertStopped(stop, h, Phase.Staging, DiagnosisCatalog.MissingColumn, approvable: true);
            Assert.That(HealTransitions(h, Phase.Staging), Does.EndWith("Running→Diagnosing, Diagnosing→Stopping CDP6104, Stopping→Failed"));
            Assert.That(stop!.Message, Does.Contain("below CdpAutoFixMinConfidence"));
        }
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AHandBrokenWorkflowIsRegeneratedAfterItsFilesAreBackedUp(RunMode mode)
    {
        // Kept (CdpHandEditedFiles=Keep), so the broken file reaches the runner; by default Deploy would stop first with CDP6111.
        var spec = KeepHandEdits(Sample.Spec());
        var h = new Harness(Sample, spec);
        await StepHealer.RunAsync(h.Context(Phase.Ingestion, Healing(spec, mode)), Step.Generate);
        var dig = Directory.EnumerateFiles(h.Context(Phase.Ingestion).ProjectDirectory, "*.dig").Order(StringComparer.Ordinal).First();
        File.AppendAllText(dig, "\n+broken: [unclosed\n");
        var broken = FileBackups.Hash(dig);

        var stop = await BuildAsync(h, Phase.Ingestion, Healing(spec, mode), from: Step.Deploy);
        if (mode == RunMode.HumanInLoop)
        {
            var pending = AssertStopped(stop, h, Phase.Ingestion, DiagnosisCatalog.WorkflowSyntax, approvable: true);
            stop = await BuildAsync(h, Phase.Ingestion, Healing(spec, approved: DiagnosisCatalog.WorkflowSyntax), from: pending.Step);
        }

        Assert.That(stop, Is.Null, () => stop!.Message);
        Assert.That(File.ReadAllText(dig), Does.Not.Contain("+broken"));
        Assert.That(BackupOf(h, dig), Is.EqualTo(broken), "the edited file is backed up before it is regenerated");
        AssertApplied(h, Phase.Ingestion, DiagnosisCatalog.WorkflowSyntax);
        Assert.That(h.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
        // The regenerated project runs under a new session; incremental loads add nothing twice.
        using var backend = Sample.Backend(spec);
        foreach (var (table, file) in new[] { ("pos_members", "data/pos/members.csv"), ("web_signups", "data/web/signups.csv"), ("shopify_customers", "data/shopify/customers.csv") })
            Assert.That(await RetailSample.Count(backend, "retail_src", $"SELECT count(*) FROM {table}"), Is.EqualTo(Sample.Rows(file).Count), table);
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AMissingUpstreamTableStopsAndTheApprovedRerunOfTheUpstreamPhaseCompletesStaging(RunMode mode)
    {
        var spec = Sample.Spec();
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);
        using (var backend = Sample.Backend(spec))
            await backend.QueryAsync("retail_src", "DROP TABLE shopify_customers_hist_union", CancellationToken.None);

        // Confidence 0.7: below the Autonomous threshold too, so both modes stop.
        var stop = await BuildAsync(h, Phase.Staging, Healing(spec, mode));
        var pending = AssertStopped(stop, h, Phase.Staging, DiagnosisCatalog.MissingTable, approvable: true);

        Assert.That(await BuildAsync(h, Phase.Staging, Healing(spec, mode, DiagnosisCatalog.MissingTable), from: pending.Step), Is.Null);
        AssertApplied(h, Phase.Staging, DiagnosisCatalog.MissingTable);
        await AssertStagingCompleted(h);
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task ARejectedTokenStopsWithoutAnApprovalAndTheFixedTokenCompletesTheRun(RunMode mode)
    {
        using var api = new ScriptedApi { RequiredAuth = "Bearer right-token" };
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer wrong-token");
        var spec = WithHttpSource(api);
        var h = new Harness(Sample, spec);

        var stop = await BuildAsync(h, Phase.Ingestion, Healing(spec, mode));
        var pending = AssertStopped(stop, h, Phase.Ingestion, DiagnosisCatalog.Authentication, approvable: false);
        Assert.That(stop!.Message, Does.Contain(AuthEnv).And.Not.Contain("wrong-token"));

        Environment.SetEnvironmentVariable(AuthEnv, "Bearer right-token");
        Assert.That(await BuildAsync(h, Phase.Ingestion, Healing(spec, mode), from: pending.Step), Is.Null);
        await AssertContactsLoaded(h);
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AnUnsetSecretStopsWithoutAnApprovalAndSettingItCompletesTheRun(RunMode mode)
    {
        using var api = new ScriptedApi { RequiredAuth = "Bearer right-token" };
        var spec = WithHttpSource(api);
        var h = new Harness(Sample, spec);

        var stop = await BuildAsync(h, Phase.Ingestion, Healing(spec, mode));
        var pending = AssertStopped(stop, h, Phase.Ingestion, DiagnosisCatalog.MissingSecret, approvable: false);

        Environment.SetEnvironmentVariable(AuthEnv, "Bearer right-token");
        Assert.That(await BuildAsync(h, Phase.Ingestion, Healing(spec, mode), from: pending.Step), Is.Null);
        await AssertContactsLoaded(h);
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AKilledAttemptStopsAndTheApprovedNewAttemptResumesIt(RunMode mode)
    {
        var spec = Sample.Spec();
        var last = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion).Workflows[^1];
        var killing = new Harness(Sample, spec, new KillOnStart(Sample, spec, last));

        // Confidence 0.6: Autonomous stops as HumanInLoop does.
        var stop = await BuildAsync(killing, Phase.Ingestion, Healing(spec, mode));
        var pending = AssertStopped(stop, killing, Phase.Ingestion, DiagnosisCatalog.KilledAttempt, approvable: true);

        var h = new Harness(Sample, spec);
        Assert.That(await BuildAsync(h, Phase.Ingestion, Healing(spec, mode, DiagnosisCatalog.KilledAttempt), from: pending.Step), Is.Null);
        AssertApplied(h, Phase.Ingestion, DiagnosisCatalog.KilledAttempt);
        Assert.That(Sample.Log.Lines, Has.Some.Match($"^Resuming .*/{last} session .* tasks finished in interrupted attempt"), "the new attempt resumes the killed one");
        using var backend = Sample.Backend(spec);
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM ingestion_log WHERE status = 'success'"), Is.EqualTo(6), "each load ran once");
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AnApiAnswering503IsRetriedWithEachRetryLoggedAndTheRunCompletes(RunMode mode)
    {
        using var api = new ScriptedApi([HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable], always: false);
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer token");
        var spec = WithHttpSource(api);
        var h = new Harness(Sample, spec);

        Assert.That(await BuildAsync(h, Phase.Ingestion, Healing(spec, mode)), Is.Null);

        var retries = RunLog.Beside(h.State.Path).Read().Where(e => (string?)e["event"] == "retry" && e["diagnosis"] is not null).ToList();
        Assert.That(retries.Select(r => (int?)r["attempt"]), Is.EqualTo(new int?[] { 2, 3 }));
        Assert.That(retries.Select(r => (string?)r["diagnosis"]), Has.All.EqualTo(DiagnosisCatalog.TransientApi));
        foreach (var retry in retries) AssertWords((string?)retry["message"] ?? "", "answered 503");
        Assert.That(api.Requests, Is.EqualTo(3));
        await AssertContactsLoaded(h);
    }

    [Test]
    public async Task AnApiThatStaysUnavailableStopsAfterTheRetries()
    {
        using var api = new ScriptedApi(HttpStatusCode.ServiceUnavailable);
        Environment.SetEnvironmentVariable(AuthEnv, "Bearer token");
        var spec = WithHttpSource(api);
        var h = new Harness(Sample, spec);

        var stop = await BuildAsync(h, Phase.Ingestion, Healing(spec));

        Assert.That(stop?.Diagnostic.Code, Is.EqualTo(DiagnosisCatalog.TransientApi), () => stop?.Message ?? "no stop");
        var events = RunLog.Beside(h.State.Path).Read();
        Assert.That(events.Count(e => (string?)e["event"] == "retry" && e["diagnosis"] is not null), Is.GreaterThanOrEqualTo(2));
        Assert.That(events.Last(e => (string?)e["event"] == "decision")["decision"]?.ToString(), Is.EqualTo("stop"));
    }

    [TestCase(RunMode.HumanInLoop)]
    [TestCase(RunMode.Autonomous)]
    public async Task AFailingCheckStopsAndAfterTheDataIsFixedTheApprovedRerunValidates(RunMode mode)
    {
        var spec = Sample.Spec((items, _) => items.Add(QualityGateTests.CheckItem("customer_email_present",
            "Rule=not_null", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email")));
        var h = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await h.RunPhaseAsync(phase);

        // Confidence 0.5: Autonomous stops as HumanInLoop does.
        var stop = await BuildAsync(h, Phase.Staging, Healing(spec, mode));
        var pending = AssertStopped(stop, h, Phase.Staging, DiagnosisCatalog.ValidationFailed, approvable: true);
        Assert.That(pending.Step, Is.EqualTo(Step.Validate));

        // A data steward fills in the customer's email upstream; the approved rerun rebuilds Staging from it.
        using (var backend = Sample.Backend(spec))
            await backend.QueryAsync("retail_src", "UPDATE shopify_customers_hist_union SET email = 'customer1029@example.org' WHERE id = 1029", CancellationToken.None);
        Assert.That(await BuildAsync(h, Phase.Staging, Healing(spec, mode, DiagnosisCatalog.ValidationFailed), from: pending.Step), Is.Null);
        AssertApplied(h, Phase.Staging, DiagnosisCatalog.ValidationFailed);
        await AssertStagingCompleted(h);
    }

    static PipelineSpec KeepHandEdits(PipelineSpec spec) =>
        spec with { Settings = spec.Settings with { Healing = spec.Settings.Healing with { HandEdits = HandEditPolicy.Keep } } };

    static PipelineSpec Healing(PipelineSpec spec, RunMode mode = RunMode.HumanInLoop, params string[] approved) =>
        spec with
        {
            Settings = spec.Settings with
            {
                Healing = spec.Settings.Healing with { Mode = mode, Approved = approved, StepRetryDelay = TimeSpan.FromMilliseconds(10) },
            },
        };

    /// <summary>
    /// One build of a phase as MSBuild runs it: each step from <paramref name="from"/> (earlier ones are
    /// up to date) through the StepHealer, stopping at the first error, which is returned.
    /// </summary>
    static async Task<CdpException?> BuildAsync(Harness h, Phase phase, PipelineSpec spec, Step from = Step.Generate)
    {
        foreach (var step in PhaseOrder.Steps.SkipWhile(s => s != from))
        {
            try { await StepHealer.RunAsync(h.Context(phase, spec), step); }
            catch (CdpException e) { return e; }
        }
        return null;
    }

    /// <summary>The build stopped with the diagnosis code, recorded the decision, and (when a fix can be approved) the switch and the pending fix.</summary>
    static PendingFix AssertStopped(CdpException? stop, Harness h, Phase phase, string code, bool approvable)
    {
        Assert.That(stop, Is.Not.Null, "the build should stop");
        Assert.That(stop!.Diagnostic.Code, Is.EqualTo(code), stop.Message);
        var decision = RunLog.Beside(h.State.Path).Read().Last(e => (string?)e["event"] == "decision");
        Assert.That(((string?)decision["decision"], (string?)decision["diagnosis"]), Is.EqualTo(("stop", code)));
        var state = h.State.Load().Phase(phase);
        Assert.That(state.Status, Is.EqualTo(PhaseStatus.Failed));
        if (!approvable)
        {
            Assert.That(stop.Message, Does.Not.Contain("-p:CdpApprove"), "nothing to approve when only the user can fix it");
            // A missing secret is remembered (without a fix to approve) so the next build deploys again first.
            Assert.That(state.PendingFix?.Diagnosis.Code, Is.EqualTo(code == DiagnosisCatalog.MissingSecret ? code : null));
            return new PendingFix(DiagnosisCatalog.Diagnose(Failure.Of(stop.Diagnostic)), Enum.Parse<Step>(state.CurrentStep!), "", DateTimeOffset.UtcNow);
        }
        Assert.That(stop.Message, Does.Contain($"-p:CdpApprove={code}"));
        Assert.That(state.PendingFix?.Diagnosis.Code, Is.EqualTo(code), "the proposal waits in the state for the approving build");
        return state.PendingFix!;
    }

    /// <summary>The "heal" lines of the run log for a phase: each transition of StepHealer, with the diagnosis it acted on.</summary>
    static string HealTransitions(Harness h, Phase phase) =>
        string.Join(", ", RunLog.Beside(h.State.Path).Read().Where(e => (string?)e["event"] == "heal" && (string?)e["phase"] == phase.ToString())
            .Select(e => $"{e["from"]}→{e["to"]}" + (e["diagnosis"] is { } d ? " " + d : "")));

    static void AssertApplied(Harness h, Phase phase, string code)
    {
        var decisions = RunLog.Beside(h.State.Path).Read().Where(e => (string?)e["event"] == "decision" && (string?)e["phase"] == phase.ToString()).ToList();
        Assert.That(decisions.Select(d => ((string?)d["decision"], (string?)d["diagnosis"])), Does.Contain(("apply_fix", code)));
        Assert.That(h.State.Load().Phase(phase).PendingFix, Is.Null);
    }

    /// <summary>The hash of the one backed-up copy of <paramref name="path"/>.</summary>
    static string BackupOf(Harness h, string path) =>
        new FileBackups(h.Context(Phase.Ingestion).BackupsDirectory).List().SelectMany(b => b.Files).Single(f => f.OriginalPath == Path.GetFullPath(path)).Sha256;

    async Task AssertStagingCompleted(Harness h)
    {
        Assert.That(h.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Succeeded));
        using var backend = Sample.Backend(h.Spec);
        foreach (var table in new[] { "shopify_customers", "shopify_orders", "pos_members", "web_signups" })
            Assert.That(await RetailSample.Count(backend, "retail_stg", $"SELECT count(*) FROM {table}"), Is.GreaterThan(0), table);
    }

    async Task AssertContactsLoaded(Harness h)
    {
        Assert.That(h.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
        using var backend = Sample.Backend(h.Spec);
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM crm_contacts"), Is.EqualTo(3));
    }
}

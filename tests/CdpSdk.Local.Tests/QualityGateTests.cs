using System.Text.Json;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The phase runner with CdpCheck items on the Local backend: an error check stops the pipeline at its
/// phase, warnings pass unless promoted, and every step and check lands in run_results.json and the run log.
/// </summary>
public sealed class QualityGateTests : RetailSampleTest
{
    [Test]
    public async Task FailingErrorCheckStopsAtItsPhaseAndARerunAfterTheFixResumesThere()
    {
        var spec = Sample.Spec((items, _) => items.Add(CheckItem("customer_email_present", "Rule=not_null", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email")));
        var runner = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await runner.RunPhaseAsync(phase);

        // The sample's customer 1029 has no email: the staging check catches it.
        var error = Assert.ThrowsAsync<CdpException>(() => runner.RunPhaseAsync(Phase.Staging));
        Assert.That(error!.Diagnostic.Code, Is.EqualTo("CDP5010"));
        Assert.That(error.Message, Does.Contain("1 row(s) of retail_stg.shopify_customers have no cleaned_email").And.Contain("id=1029"));
        Assert.That(error.Diagnostic.Location.Line, Is.EqualTo(99), "points at the CdpCheck item");

        var state = runner.State.Load();
        Assert.That(state.Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Failed));
        Assert.That(PhaseRunner.CheckUpstream(state, Phase.Unification, p => runner.Hash(p), new SourceLocation(""))?.Code, Is.EqualTo("CDP0090"),
            "Unification may not run after a failed Staging");

        using (var results = JsonDocument.Parse(File.ReadAllText(RunResults.Beside(runner.State.Path))))
        {
            var check = results.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("unique_id").GetString() == "check.Staging.customer_email_present");
            Assert.That(check.GetProperty("status").GetString(), Is.EqualTo("fail"));
            Assert.That(check.GetProperty("failures").GetInt64(), Is.EqualTo(1));
            Assert.That(check.GetProperty("compiled_code").GetString(), Does.Contain("IS NULL"));
            Assert.That(check.GetProperty("sample_rows").GetArrayLength(), Is.EqualTo(1));
        }

        // A data steward fixes the row in the warehouse; the rerun validates Staging again and carries on.
        using (var backend = Sample.Backend(spec))
            await backend.QueryAsync("retail_stg", "UPDATE shopify_customers SET cleaned_email = 'customer1029@example.org' WHERE id = 1029", CancellationToken.None);
        await PhaseRunner.RunAsync(runner.Context(Phase.Staging), Step.Validate);
        await runner.RunPhaseAsync(Phase.Unification);
        Assert.That(runner.State.Load().Phases.Values.Select(p => p.Status), Is.All.EqualTo(PhaseStatus.Succeeded));

        var events = RunLog.Beside(runner.State.Path).Read();
        Assert.That(events.Select(e => (string?)e["event"]), Is.SupersetOf(new[] { "step_started", "step_finished", "check", "decision", "retry" }));
        var decision = events.Single(e => (string?)e["event"] == "decision");
        Assert.That(((string?)decision["decision"], (string?)decision["before"]), Is.EqualTo(("stop_pipeline", "Unification")));
        var retry = events.Single(e => (string?)e["event"] == "retry");
        Assert.That(((string?)retry["phase"], (string?)retry["step"]), Is.EqualTo(("Staging", "Validate")));
        Assert.That(events.Count(e => (string?)e["event"] == "step_finished"), Is.EqualTo(21), "20 steps and the one rerun");
    }

    [Test]
    public async Task WarningCheckIsReportedAndPromotedByCdpWarningsAsErrors()
    {
        var spec = Sample.Spec((items, _) => items.Add(CheckItem("customers_have_email", "Rule=completeness", "Phase=HistUnion", "Table=shopify_customers_hist_union", "Column=email", "Min=100", "Severity=warn")));
        var runner = new Harness(Sample, spec);
        await runner.RunPhaseAsync(Phase.Ingestion);
        await runner.RunPhaseAsync(Phase.HistUnion);
        Assert.That(Sample.Log.Diagnostics.Select(d => (d.Code, d.Severity)), Does.Contain(("CDP5011", DiagnosticSeverity.Warning)));
        Assert.That(runner.State.Load().Phase(Phase.HistUnion).Status, Is.EqualTo(PhaseStatus.Succeeded));

        var strict = spec with { Settings = spec.Settings with { WarningsAsErrors = true } };
        var error = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(new Harness(Sample, strict).Context(Phase.HistUnion), Step.Validate));
        Assert.That(error!.Diagnostic.Code, Is.EqualTo("CDP5011"));
        Assert.That(error.Message, Does.Contain("promoted to an error by CdpWarningsAsErrors"));
    }

    [Test]
    public async Task StagingWithoutItsCleanedColumnFailsValidation()
    {
        var spec = Sample.Spec();
        var runner = new Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await runner.RunPhaseAsync(phase);
        using (var backend = Sample.Backend(spec))
            await backend.QueryAsync("retail_stg", "ALTER TABLE pos_members DROP COLUMN standardized_mobile", CancellationToken.None);

        var error = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(runner.Context(Phase.Staging), Step.Validate));
        Assert.That(error!.Diagnostic.Code, Is.EqualTo("CDP5006"));
        Assert.That(error.Message, Does.Contain("standardized_mobile"));
    }

    internal static RawItem CheckItem(string name, params string[] metadata) =>
        new("CdpCheck", name, metadata.Select(m => m.Split('=', 2)).ToDictionary(m => m[0], m => m[1], StringComparer.OrdinalIgnoreCase),
            new SourceLocation("retail.cdpproj", 99, 5));

    /// <summary>Runs phases through the real PhaseRunner (all five steps), as the MSBuild tasks do.</summary>
    internal sealed class Harness(RetailSample sample, PipelineSpec spec)
    {
        public StateStore State { get; } = new(Path.Combine(sample.Root, "obj", "cdp", "pipeline_state.json"));

        public PipelineSpec Spec => spec;

        public string Hash(Phase phase) => PhaseConfiguration.Hash(spec, phase, "test");

        public StepContext Context(Phase phase) =>
            new(spec, phase, Hash(phase), State, () => sample.Backend(spec), sample.Log, CancellationToken.None);

        public async Task RunPhaseAsync(Phase phase)
        {
            foreach (var step in PhaseOrder.Steps) await PhaseRunner.RunAsync(Context(phase), step);
        }
    }
}

using System.Text.Json;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Local.Tests;

/// <summary>
/// CdpSkipFailedPhase on the retail sample: Staging fails a data-quality check; only with the switch is it
/// marked Skipped, Unification then runs with a warning, and the state, run log, run_results.json and the
/// report all say so loudly. Without the switch the skipped phase runs (and fails) again.
/// </summary>
public sealed class PhaseSkipTests : RetailSampleTest
{
    PipelineSpec WithFailingStagingCheck(string? skip = null) => Sample.Spec((items, properties) =>
    {
        // The sample's customer 1029 has no email: the check fails Staging's Validate.
        items.Add(QualityGateTests.CheckItem("customer_email_present", "Rule=not_null", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email"));
        if (skip is not null) properties[PhaseSkip.Property] = new RawProperty(PhaseSkip.Property, skip, new SourceLocation(Sample.ProjectFile));
    });

    [Test]
    public async Task FailedStagingIsSkippedOnlyWithTheSwitchAndUnificationRunsWithAWarning()
    {
        var plain = new QualityGateTests.Harness(Sample, WithFailingStagingCheck());
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await plain.RunPhaseAsync(phase);
        Assert.ThrowsAsync<CdpException>(() => plain.RunPhaseAsync(Phase.Staging));

        Assert.That(PhaseSkip.TrySkip(plain.Context(Phase.Staging), Step.Validate), Is.False, "no switch, no skip");
        Assert.That(plain.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Failed));

        var skipping = new QualityGateTests.Harness(Sample, WithFailingStagingCheck(skip: "Staging"));
        Assert.That(PhaseSkip.TrySkip(skipping.Context(Phase.Staging), Step.Validate), Is.True);
        var staging = skipping.State.Load().Phase(Phase.Staging);
        Assert.That(staging.Status, Is.EqualTo(PhaseStatus.Skipped));
        Assert.That((staging.Skip!.FailedStep, staging.Skip.Switch), Is.EqualTo(("Validate", "-p:CdpSkipFailedPhase=Staging")));
        Assert.That(staging.Skip.Error, Does.Contain("customer_email_present"));
        var warning = Sample.Log.Diagnostics.Single(d => d.Code == "CDP6201");
        Assert.That(warning.Severity, Is.EqualTo(DiagnosticSeverity.Warning));
        Assert.That(warning.Message, Does.Contain("Phase Staging FAILED at Validate and is SKIPPED by CdpSkipFailedPhase"));

        var decision = RunLog.Beside(skipping.State.Path).Read().Single(e => (string?)e["decision"] == "skip_phase");
        Assert.That(((string?)decision["phase"], (string?)decision["failed_step"], (string?)decision["code"]), Is.EqualTo(("Staging", "Validate", "CDP6201")));

        // The later steps of the same build (and any step of a build that still has the switch) do nothing; only the failed step warns again.
        Assert.That(PhaseSkip.TrySkip(skipping.Context(Phase.Staging), Step.Generate), Is.True);
        Assert.That(Sample.Log.Diagnostics.Count(d => d.Code == "CDP6201"), Is.EqualTo(1));
        Assert.That(PhaseSkip.TrySkip(skipping.Context(Phase.Staging), Step.Validate), Is.True);
        Assert.That(Sample.Log.Diagnostics.Count(d => d.Code == "CDP6201"), Is.EqualTo(2));
        Assert.That(skipping.State.Load().Phase(Phase.Staging).Skip!.SkippedAt, Is.EqualTo(staging.Skip.SkippedAt), "an existing skip is not re-recorded");

        // Downstream: allowed with the switch (a warning), refused without it.
        var state = skipping.State.Load();
        var check = PhaseRunner.CheckUpstream(state, Phase.Unification, skipping.Hash, new SourceLocation(""), [Phase.Staging]);
        Assert.That((check?.Code, check?.Severity), Is.EqualTo(("CDP6202", DiagnosticSeverity.Warning)));
        Assert.That(check!.Message, Does.Contain("Staging (failed at Validate) was SKIPPED"));
        Assert.That(PhaseRunner.CheckUpstream(state, Phase.Unification, skipping.Hash, new SourceLocation(""))?.Code, Is.EqualTo("CDP0090"));

        await skipping.RunPhaseAsync(Phase.Unification);
        state = skipping.State.Load();
        Assert.That(state.Phase(Phase.Unification).Status, Is.EqualTo(PhaseStatus.Succeeded), "the staging tables exist: a failed check does not remove them");

        using (var results = JsonDocument.Parse(File.ReadAllText(RunResults.Beside(skipping.State.Path))))
        {
            var phase = results.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("unique_id").GetString() == "phase.Staging");
            Assert.That(phase.GetProperty("status").GetString(), Is.EqualTo("skipped"));
            Assert.That(phase.GetProperty("message").GetString(), Does.Contain("SKIPPED after failing at Validate"));
        }

        using (var backend = Sample.Backend(skipping.Spec))
        {
            var report = await ReportWriter.WriteAsync(skipping.Spec, state, Sample.ProjectFile, Path.GetDirectoryName(skipping.State.Path)!, backend, CancellationToken.None);
            Assert.That(report.Data.Outcome, Is.EqualTo("Completed with Staging SKIPPED"));
            Assert.That(report.Data.Failed, Is.False);
            var md = File.ReadAllText(report.Markdown);
            Assert.That(md, Does.Contain("**⚠ SKIPPED:** Phase Staging was SKIPPED after failing at Validate"));
            Assert.That(md.IndexOf("SKIPPED:", StringComparison.Ordinal), Is.LessThan(md.IndexOf("## Phases", StringComparison.Ordinal)), "the banner is at the top");
            Assert.That(md, Does.Contain("| Staging | — | SKIPPED (failed at Validate) |"));
            var html = File.ReadAllText(report.Html);
            Assert.That(html, Does.Contain("<div class=\"alert skipped-phase\" role=\"alert\"><strong>⚠ SKIPPED:</strong> Phase Staging was SKIPPED after failing at Validate"));
            Assert.That(html, Does.Contain("<span class=\"badge skipped\">Completed with Staging SKIPPED</span>"));
            Assert.That(html, Does.Contain("<span class=\"status skipped-phase\">SKIPPED (failed at Validate)</span>"));
        }

        // Without the switch the skipped phase is retried: it fails the same way and is no longer skipped.
        Assert.That(PhaseSkip.TrySkip(plain.Context(Phase.Staging), Step.Validate), Is.False);
        Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(plain.Context(Phase.Staging), Step.Validate));
        staging = plain.State.Load().Phase(Phase.Staging);
        Assert.That((staging.Status, staging.Skip), Is.EqualTo((PhaseStatus.Failed, (SkipRecord?)null)));
    }

    [Test]
    public async Task SwitchNamingAPhaseThatHasNotFailedWarnsOnceAndRunsIt()
    {
        var runner = new QualityGateTests.Harness(Sample, Sample.Spec((_, properties) =>
            properties[PhaseSkip.Property] = new RawProperty(PhaseSkip.Property, "Ingestion", new SourceLocation(Sample.ProjectFile))));
        foreach (var step in PhaseOrder.Steps)
        {
            var ctx = runner.Context(Phase.Ingestion);
            Assert.That(PhaseSkip.TrySkip(ctx, step), Is.False, step.ToString());
            await PhaseRunner.RunAsync(ctx, step);
        }
        Assert.That(runner.State.Load().Phase(Phase.Ingestion).Status, Is.EqualTo(PhaseStatus.Succeeded));
        var warnings = Sample.Log.Diagnostics.Where(d => d.Code == "CDP6203").ToList();
        Assert.That(warnings, Has.Count.EqualTo(1), "one warning as the phase starts, not one per step");
        Assert.That(warnings[0].Message, Does.Contain("CdpSkipFailedPhase names Ingestion, but Ingestion has not failed"));
    }
}

using System.Text.Json;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// -p:CdpSkipFailedPhase through the real 'dotnet build -t:CdpPipeline': Staging fails a data-quality
/// check; the rerun with the switch marks it Skipped and finishes Unification with warnings, loudly in the
/// state, run log, report and summary; a rerun without the switch tries Staging again.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class SkipFailedPhaseBuildTests
{
    [Test]
    public void FailedStagingSkippedWithTheSwitchLetsUnificationRunAndWithoutItStagingRunsAgain()
    {
        var (dir, project) = SampleWithFailingStagingCheck();
        var obj = Path.Combine(dir, "obj", "cdp");

        var failed = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(failed.ExitCode, Is.Not.Zero, failed.ToString());
        Assert.That(failed.Output, Does.Contain("error CDP5010").And.Not.Contain("CDP6201"));

        var skipped = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpSkipFailedPhase=Staging", $"-bl:{Path.Combine(dir, "skipped.binlog")}");
        Assert.That(skipped.ExitCode, Is.Zero, skipped.ToString());
        Assert.That(skipped.Output, Does.Contain("warning CDP6201: Phase Staging FAILED at Validate and is SKIPPED by CdpSkipFailedPhase"));
        Assert.That(skipped.Output, Does.Contain("warning CDP6202: Phase Unification runs on incomplete input"));
        Assert.That(skipped.Output, Does.Not.Contain("error CDP"));
        Assert.That(skipped.Output, Does.Contain("Staging      SKIPPED").And.Contain("Unification  succeeded").And.Contain("!! Phase Staging was SKIPPED after failing at Validate"),
            "the summary at the end of the build says so");
        var phases = Binlog.Phases(Binlog.Read(Path.Combine(dir, "skipped.binlog"))).ToDictionary(p => p.Phase);
        Assert.That(phases["Unification"].Steps.Values.All(Binlog.Ran), Is.True, "Unification runs after the skipped Staging");
        Assert.That(File.Exists(Path.Combine(obj, "Staging", "validate.stamp")), Is.False, "a skipped step leaves no stamp");

        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "pipeline_state.json"))))
        {
            var staging = state.RootElement.GetProperty("phases").GetProperty("Staging");
            Assert.That(staging.GetProperty("status").GetString(), Is.EqualTo("Skipped"));
            Assert.That(staging.GetProperty("skip").GetProperty("failedStep").GetString(), Is.EqualTo("Validate"));
            Assert.That(staging.GetProperty("skip").GetProperty("error").GetString(), Does.Contain("customer_email_present"));
        }
        var events = File.ReadAllLines(Path.Combine(obj, "run_log.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(events.Count(e => e.TryGetProperty("decision", out var d) && d.GetString() == "skip_phase" && e.GetProperty("phase").GetString() == "Staging"), Is.EqualTo(1));
        Assert.That(events.Any(e => e.TryGetProperty("decision", out var d) && d.GetString() == "run_on_skipped_upstream" && e.GetProperty("phase").GetString() == "Unification"), Is.True);
        var report = File.ReadAllText(Path.Combine(dir, "bin", "cdp", "report.md"));
        Assert.That(report, Does.Contain("**⚠ Completed with Staging SKIPPED**").And.Contain("**⚠ SKIPPED:** Phase Staging was SKIPPED after failing at Validate"));

        var retried = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(retried.ExitCode, Is.Not.Zero, "without the switch Staging runs again and fails again:\n" + retried);
        Assert.That(retried.Output, Does.Contain("error CDP5010").And.Contain("Staging      FAILED"));
        using (var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(obj, "pipeline_state.json"))))
            Assert.That(state.RootElement.GetProperty("phases").GetProperty("Staging").GetProperty("status").GetString(), Is.EqualTo("Failed"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "bin", "cdp", "report.md")), Does.Contain("Failed at Staging (Validate)").And.Not.Contain("⚠ SKIPPED"));
    }

    /// <summary>The switch given from the start: Staging fails and is skipped within the same build.</summary>
    [Test]
    public void TheSwitchAlsoSkipsAPhaseThatFailsInTheSameBuild()
    {
        var (dir, project) = SampleWithFailingStagingCheck();

        var result = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpSkipFailedPhase=Staging");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("warning CDP5010").And.Contain("warning CDP6201").And.Contain("warning CDP6202"), result.ToString());
        Assert.That(result.Output, Does.Not.Contain("error CDP"));
        Assert.That(result.Output, Does.Contain("Staging      SKIPPED").And.Contain("Unification  succeeded"));
        using var state = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "obj", "cdp", "pipeline_state.json")));
        Assert.That(state.RootElement.GetProperty("phases").GetProperty("Staging").GetProperty("status").GetString(), Is.EqualTo("Skipped"));
    }

    static (string Dir, string Project) SampleWithFailingStagingCheck()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        // The sample's customer 1029 has no email: the check fails Staging's Validate, after its tables were written.
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", """
              <ItemGroup>
                <CdpCheck Include="customer_email_present" Phase="Staging" Table="shopify_customers" Column="cleaned_email" Rule="not_null" />
              </ItemGroup>
            </Project>
            """));
        return (dir, project);
    }
}

using System.Text.Json;
using CdpSdk.Tests.Shared;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The summary, report.md and run_results.json of each build of a failed-then-fixed pipeline, through the
/// real 'dotnet build': a build that makes Staging fail says Staging failed in this build and Unification
/// did not run because of it, with the earlier build's checks marked with their run; the fixed build says
/// what ran again; a build with nothing to do says so. The artifacts conform to the schemas in the package.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class BuildReportBuildTests
{
    string _dir = "";
    string _project = "";
    string _original = "";

    string Obj => Path.Combine(_dir, "obj", "cdp");
    string Report => File.ReadAllText(Path.Combine(_dir, "bin", "cdp", "report.md"));

    /// <summary>The schemas as the packed SDK ships them, not as the repository has them.</summary>
    static string SchemaDir => Path.Combine(PackedSdk.PackagesFolder, "cdpsdk", PackedSdk.Version, "schema");

    [OneTimeSetUp]
    public void FirstBuildSucceeds()
    {
        _dir = PackedSdk.CopySample("retail");
        _project = Path.Combine(_dir, "retail.cdpproj");
        _original = File.ReadAllText(_project);
        var first = DotNet.Build(_dir, _project, "-t:CdpPipeline");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
    }

    [Test, Order(1)]
    public void ABuildWhereStagingFailsSaysSoAndMarksTheEarlierChecks()
    {
        // The sample's customer 1029 has no email: the new check fails Staging's Validate.
        File.WriteAllText(_project, _original.Replace("</Project>", """
              <ItemGroup>
                <CdpCheck Include="customer_email_present" Phase="Staging" Table="shopify_customers" Column="cleaned_email" Rule="not_null" />
              </ItemGroup>
            </Project>
            """));
        var failed = DotNet.Build(_dir, _project, "-t:CdpPipeline");
        Assert.That(failed.ExitCode, Is.Not.Zero, failed.ToString());
        Assert.That(failed.Output, Does.Contain("Ingestion    up to date").And.Contain("HistUnion    up to date")
            .And.Contain("Staging      FAILED").And.Contain("Unification  not run (upstream failed)"), failed.ToString());
        Assert.That(failed.Output, Does.Match(@"checks: \d+ passed, 0 warned, 1 failed \(customer_email_present\); \d+ more from earlier runs"), failed.ToString());

        var report = Report;
        Assert.That(report, Does.Contain("**✗ Failed at Staging (Validate)**"));
        Assert.That(report, Does.Contain("| Ingestion | up to date | Succeeded | — |"));
        Assert.That(report, Does.Contain("| Staging | FAILED | Failed at Validate |"));
        Assert.That(report, Does.Contain("| Unification | not run (upstream failed) | Succeeded | — |"), "Unification's state is the first build's");
        Assert.That(report, Does.Match(@"\| enriched_customers_shape \| Unification \| .*\| earlier run, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \|"));
        Assert.That(report, Does.Match(@"\| customer_email_present \| Staging \| .*\| ✗ fail \| 1 \| this build \|"));
        Assert.That(report, Does.Not.Contain(_dir), "no machine path: the report can be shared");

        using var results = Results();
        var byId = results.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("unique_id").GetString()!);
        Assert.That(Status(byId["phase.Staging"]), Is.EqualTo(("error", true)));
        Assert.That(Status(byId["phase.Unification"]), Is.EqualTo(("not_run_upstream_failed", false)));
        Assert.That(Status(byId["phase.Ingestion"]), Is.EqualTo(("up_to_date", false)));
        Assert.That(Status(byId["check.Unification.enriched_customers_shape"]), Is.EqualTo(("pass", false)));
        var stagingSteps = byId.Values.Where(r => r.GetProperty("unique_id").GetString()!.StartsWith("step.Staging.", StringComparison.Ordinal)).Sum(r => r.GetProperty("execution_time").GetDouble());
        Assert.That(results.RootElement.GetProperty("elapsed_time").GetDouble(), Is.EqualTo(stagingSteps).Within(0.002), "only Staging ran in this build");
        AssertArtifactsConform();
    }

    [Test, Order(2)]
    public void TheFixedBuildSaysWhatRanAgain()
    {
        File.WriteAllText(_project, _original);
        var fixedBuild = DotNet.Build(_dir, _project, "-t:CdpPipeline");
        Assert.That(fixedBuild.ExitCode, Is.Zero, fixedBuild.ToString());
        Assert.That(fixedBuild.Output, Does.Contain("HistUnion    up to date").And.Contain("Staging      succeeded").And.Contain("Unification  succeeded"), fixedBuild.ToString());
        Assert.That(fixedBuild.Output, Does.Not.Contain("CDP5014"), "no row-count warning for the log and key-stats tables a rerun appends to");

        var report = Report;
        Assert.That(report, Does.Contain("**✓ Succeeded**"));
        Assert.That(report, Does.Contain("| Staging | succeeded | Succeeded |").And.Contain("| Unification | succeeded | Succeeded |"));
        Assert.That(report, Does.Match(@"\| enriched_customers_shape \| Unification \| .*\| this build \|"));
        Assert.That(report, Does.Not.Contain("customer_email_present"), "the removed check is gone with its run");
        using var results = Results();
        Assert.That(results.RootElement.GetProperty("metadata").GetProperty("build_started_at").GetDateTimeOffset(), Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-10)));
        AssertArtifactsConform();
    }

    [Test, Order(3)]
    public void ABuildWithNothingToDoSaysSo()
    {
        var again = DotNet.Build(_dir, _project, "-t:CdpPipeline");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Output, Does.Contain("nothing to do: every step up to date"), again.ToString());
        Assert.That(Report, Does.Contain("**✓ Nothing to do: every step up to date**").And.Contain("nothing ran"));
        using var results = Results();
        Assert.That(results.RootElement.GetProperty("elapsed_time").GetDouble(), Is.Zero, "no step ran, so no time is this build's");

        // A report built on its own describes the last build, not a new one.
        var alone = DotNet.Build(_dir, _project, "-t:CdpReport");
        Assert.That(alone.ExitCode, Is.Zero, alone.ToString());
        Assert.That(Report, Does.Contain("**✓ Nothing to do: every step up to date**"));
    }

    JsonDocument Results() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Obj, "run_results.json")));

    void AssertArtifactsConform()
    {
        Assert.That(File.Exists(Path.Combine(SchemaDir, ArtifactSchemas.RunResults)), Is.True, "the package ships the schemas");
        Assert.That(ArtifactSchemas.ValidateRunResults(SchemaDir, Path.Combine(Obj, "run_results.json")), Is.Empty);
        Assert.That(ArtifactSchemas.ValidateRunLog(SchemaDir, Path.Combine(Obj, "run_log.jsonl")), Is.Empty);
    }

    static (string?, bool) Status(JsonElement r) => (r.GetProperty("status").GetString(), r.GetProperty("in_this_build").GetBoolean());
}

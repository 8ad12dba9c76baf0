using System.Text.Json;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// An error-severity CdpCheck through the real 'dotnet build -t:CdpPipeline': it stops the pipeline at
/// Staging (Unification never starts), a partial report and the summary are still written, and once the
/// data is fixed the next build resumes at Staging's Validate and finishes.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class QualityGateBuildTests
{
    [Test]
    public void FailingStagingCheckStopsBeforeUnificationAndTheRerunResumesAtStaging()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        // The sample's customer 1029 has no email at all: a not_null check on the cleaned email catches it.
        var text = File.ReadAllText(project);
        File.WriteAllText(project, text.Replace("</Project>", """
              <ItemGroup>
                <CdpCheck Include="customer_email_present" Phase="Staging" Table="shopify_customers" Column="cleaned_email" Rule="not_null" />
              </ItemGroup>
            </Project>
            """));

        var failed = DotNet.Build(dir, project, "-t:CdpPipeline", $"-bl:{Path.Combine(dir, "failed.binlog")}");
        Assert.That(failed.ExitCode, Is.Not.Zero, failed.ToString());
        Assert.That(failed.Output, Does.Contain("error CDP5010").And.Contain("customer_email_present").And.Contain("id=1029"));
        Assert.That(failed.Output, Does.Contain("Staging      FAILED").And.Contain("Unification  not run (upstream failed)"), "the summary is printed after the failure");
        var phases = Binlog.Phases(Binlog.Read(Path.Combine(dir, "failed.binlog")));
        Assert.That(phases.Select(p => p.Phase), Is.EqualTo(new[] { "Ingestion", "HistUnion", "Staging" }), "Unification is never built");

        var report = Path.Combine(dir, "bin", "cdp", "report.md");
        Assert.That(File.ReadAllText(report), Does.Contain("Failed at Staging (Validate)"), "a partial report is written");
        Assert.That(File.Exists(Path.Combine(dir, "bin", "cdp", "report.html")), Is.True);

        // Fix the data where the check looks, then build again.
        Assert.That(LocalWarehouse.Execute(LocalWarehouse.File(dir, "retail"),
            "UPDATE retail_stg.shopify_customers SET cleaned_email = 'customer1029@example.org' WHERE cleaned_email IS NULL"), Is.EqualTo(1));

        var rerun = DotNet.Build(dir, project, "-t:CdpPipeline", $"-bl:{Path.Combine(dir, "rerun.binlog")}");
        Assert.That(rerun.ExitCode, Is.Zero, rerun.ToString());
        var resumed = Binlog.Phases(Binlog.Read(Path.Combine(dir, "rerun.binlog"))).ToDictionary(p => p.Phase);
        foreach (var phase in new[] { "Ingestion", "HistUnion" })
            Assert.That(resumed[phase].Steps.Values.All(Binlog.WasSkipped), Is.True, phase + " is done and skipped");
        Assert.That(resumed["Staging"].Steps.Where(s => s.Key != "CdpValidate").All(s => Binlog.WasSkipped(s.Value)), Is.True, "Staging's steps before Validate are skipped");
        Assert.That(Binlog.Ran(resumed["Staging"].Steps["CdpValidate"]), Is.True, "Staging resumes at Validate");
        Assert.That(resumed["Unification"].Steps.Values.All(Binlog.Ran), Is.True);
        Assert.That(rerun.Output, Does.Contain("retail -> ").And.Contain("checks: "));
        // The summary tells this build from the one before: done phases are up to date, the resumed ones ran.
        Assert.That(rerun.Output, Does.Contain("Ingestion    up to date").And.Contain("Staging      succeeded").And.Contain("Unification  succeeded"), rerun.ToString());

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "obj", "cdp", "run_results.json")));
        var checks = results.RootElement.GetProperty("results").EnumerateArray()
            .Where(r => r.GetProperty("resource_type").GetString() == "check").ToDictionary(r => r.GetProperty("unique_id").GetString()!, r => r.GetProperty("status").GetString());
        Assert.That(checks["check.Staging.customer_email_present"], Is.EqualTo("pass"));
        Assert.That(checks.Values, Has.None.EqualTo("fail"), "the sample's own checks pass");
        Assert.That(File.ReadAllText(Path.Combine(dir, "obj", "cdp", "run_log.jsonl")), Does.Contain("\"event\":\"retry\""));
        Assert.That(File.ReadAllText(report), Does.Contain("**✓ Succeeded**"));
    }
}

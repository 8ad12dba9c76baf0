using System.Text.Json;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The retail sample's CdpTest through the real 'dotnet build': with a wrong expectation the Staging phase
/// stops before Deploy (so Execute never runs and nothing is written to retail_stg), with the row diff at the
/// expected row's line; -t:CdpTest runs the tests alone.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class UnitTestBuildTests
{
    [Test]
    public void FailingUnitTestStopsItsPhaseBeforeExecuteAndCdpTestRunsTheTestsAlone()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        var text = File.ReadAllText(project);
        const string expected = "E1,ann.lee@example.com,1";
        Assert.That(text, Does.Contain(expected));
        File.WriteAllText(project, text.Replace(expected, "E1,ann.lee@example.com,0"));
        var line = File.ReadAllLines(project).ToList().FindIndex(l => l.Trim() == "E1,ann.lee@example.com,0") + 1;

        var failed = DotNet.Build(dir, project, "-t:CdpPipeline", $"-bl:{Path.Combine(dir, "failed.binlog")}");
        Assert.That(failed.ExitCode, Is.Not.Zero, failed.ToString());
        Assert.That(failed.Output, Does.Contain($"retail.cdpproj({line},1): error CDP5300").And.Contain("has_email expected 0, got 1"), failed.ToString());
        var phases = Binlog.Phases(Binlog.Read(Path.Combine(dir, "failed.binlog"))).ToDictionary(p => p.Phase);
        Assert.That(phases.Keys, Is.EquivalentTo(new[] { "Ingestion", "HistUnion", "Staging" }), "Unification is never built");
        Assert.That(Binlog.Ran(phases["Staging"].Steps["CdpGenerate"]), Is.True);
        Assert.That(phases["Staging"].Steps.Keys, Has.None.EqualTo("CdpExecute").And.None.EqualTo("CdpDeploy"), "Staging stops before Deploy and Execute");
        Assert.That(File.Exists(Path.Combine(dir, "warehouse", "retail_stg.db")), Is.False, "no staging table was written");

        using (var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "obj", "cdp", "run_results.json"))))
        {
            var test = results.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("unique_id").GetString() == "unit_test.Staging.web_signups_flags_email");
            Assert.That((test.GetProperty("resource_type").GetString(), test.GetProperty("status").GetString()), Is.EqualTo(("unit_test", "fail")));
        }

        File.WriteAllText(project, text);
        var alone = DotNet.Build(dir, project, "-t:CdpTest");
        Assert.That(alone.ExitCode, Is.Zero, alone.ToString());
        Assert.That(alone.Output, Does.Contain("Staging: unit tests: 1 passed, 0 failed"), alone.ToString());
    }
}

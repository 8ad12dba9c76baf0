using System.Text.Json;
using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Core.Tests.Configuration;

namespace CdpSdk.Core.Tests.Reporting;

/// <summary>
/// The report and run_results.json of one build, from the retail spec and pipeline states as a failed and
/// then a fixed build leave them: what ran in this build, what was up to date, what an upstream failure
/// stopped, and which checks are from an earlier run. No warehouse: the figures from it are tested in Local.
/// </summary>
public sealed class BuildReportTests
{
    SampleFolder _folder = null!;
    PipelineSpec _spec = null!;
    string _obj = "";

    [SetUp]
    public void CreateProject()
    {
        _folder = new SampleFolder();
        _spec = _folder.Retail().Read().Spec!;
        _obj = Path.Combine(_folder.Path, "obj", "cdp");
        Directory.CreateDirectory(_obj);
    }

    [TearDown] public void Delete() => _folder.Dispose();

    Task<ReportData> Report(PipelineState state, DateTimeOffset? build) =>
        ReportBuilder.BuildAsync(_spec, state, Path.Combine(_folder.Path, "retail.cdpproj"), _obj, null, CancellationToken.None, build);

    [Test]
    public async Task AFailedBuildSaysStagingFailedUnificationDidNotRunAndOldChecksAreFromTheirRun()
    {
        var r = await Report(BuildStates.StagingFailedInSecondBuild(), BuildStates.SecondBuild);
        var md = MarkdownReport.Render(r);
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("**✗ Failed at Staging (Execute)**"));
            Assert.That(md, Does.Contain("| Ingestion | up to date | Succeeded | — |"));
            Assert.That(md, Does.Contain("| Staging | FAILED | Failed at Execute | 6.0s |"), "this build's three steps, not the first build's");
            Assert.That(md, Does.Contain("| Unification | not run (upstream failed) | Succeeded | — |"));
            Assert.That(md, Does.Contain("Build started 2026-12-01 02:00:00 UTC · ended 2026-12-01 02:00:07 UTC · duration 6.0s"));
            Assert.That(md, Does.Contain("| ✓ pass | 0 | earlier run, 2026-11-30 "), "Staging's check passed in the first build and did not run in this one");
            Assert.That(md, Does.Contain("checks none ran in this build; 4 from earlier runs"));
        });
        var html = HtmlReport.Render(r);
        Assert.That(html, Does.Contain("not run (upstream failed)").And.Contain("class=\"check pass earlier-run\""));
    }

    [Test]
    public async Task TheFixedBuildSaysWhatRanAgainAndWhatWasUpToDate()
    {
        var third = BuildStates.SecondBuild.AddHours(1);
        var r = await Report(BuildStates.FixedInThirdBuild(third), third);
        var md = MarkdownReport.Render(r);
        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("**✓ Succeeded**"));
            Assert.That(md, Does.Contain("| HistUnion | up to date | Succeeded | — |"));
            Assert.That(md, Does.Contain("| Staging | succeeded | Succeeded | 1.5s |"));
            Assert.That(md, Does.Contain("| Unification | succeeded | Succeeded | 2.5s |"));
            Assert.That(md, Does.Contain("duration 4.0s"), "1.5 s + 2.5 s: no step of the earlier builds");
            Assert.That(md, Does.Contain("| ✓ pass | 0 | this build | every row has an id |"));
            Assert.That(md, Does.Contain("2 of 4 checks ran in this build"));
        });
    }

    [Test]
    public async Task ABuildThatRanNothingSaysSo()
    {
        var r = await Report(BuildStates.AllSucceeded(), BuildStates.SecondBuild);
        var md = MarkdownReport.Render(r);
        Assert.That(md, Does.Contain("**✓ Nothing to do: every step up to date**"));
        Assert.That(md, Does.Contain("Build started 2026-12-01 02:00:00 UTC · nothing ran"));
        Assert.That(r.Phases.Select(p => p.Outcome!.Label), Is.All.EqualTo("up to date"));
    }

    [Test]
    public async Task DataTablesAndLogTablesAreCountedApart()
    {
        var r = await Report(BuildStates.AllSucceeded(), null);
        var ingestion = r.Phases[0];
        Assert.That((ingestion.Tables, ingestion.Rows, ingestion.LogTables, ingestion.LogRows), Is.EqualTo((1, 100L, 1, 6L)));
        Assert.That(MarkdownReport.Render(r), Does.Contain("| Ingestion | — | Succeeded | — | 1 | 100 | 1 (6 rows) |"));
        Assert.That(TableCounts.Text(BuildStates.AllSucceeded().Phase(Phase.Ingestion).Tables), Is.EqualTo("1 tables, 100 rows + 1 log table (6 rows)"));
    }

    [Test]
    public async Task AReportWithoutABuildAddsNoDurationsAcrossBuilds()
    {
        var r = await Report(BuildStates.StagingFailedInSecondBuild(), null);
        var md = MarkdownReport.Render(r);
        Assert.That(r.Duration, Is.EqualTo(TimeSpan.Zero));
        Assert.That(md, Does.Contain("report of the state, not of a build"));
        Assert.That(md, Does.Contain("| ✓ pass | 0 | run of 2026-11-30 "));
    }

    [Test]
    public async Task PathsInTheReportAreRelativeToTheProject()
    {
        var state = BuildStates.StagingFailedInSecondBuild().With(Phase.Staging, p => p with
        {
            Files = ["staging.dig"],
            Steps = new Dictionary<string, StepRecord>(p.Steps) { ["Execute"] = p.Steps["Execute"] with { Error = $"CDP3001 in {Path.Combine(_folder.Path, "sql", "orders.sql")}: no such column" } },
        });
        File.WriteAllText(Path.Combine(_obj, "pipeline_state.json"), "{}");
        var r = await Report(state, BuildStates.SecondBuild);
        var md = MarkdownReport.Render(r);
        var html = HtmlReport.Render(r);
        Assert.That(md, Does.Not.Contain(_folder.Path));
        Assert.That(html, Does.Not.Contain(_folder.Path));
        Assert.That(md, Does.Contain("CDP3001 in sql/orders.sql: no such column"));
        Assert.That(md, Does.Contain("(`obj/cdp/workflows/staging`)").And.Contain("(`obj/cdp`)"));
    }

    [Test]
    public void RunResultsSayWhatEachPhaseDidInTheBuildAndTimeOnlyThisBuild()
    {
        var path = Path.Combine(_obj, RunResults.FileName);
        RunResults.Write(BuildStates.StagingFailedInSecondBuild(), path, BuildStates.SecondBuild);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var results = root.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("unique_id").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("metadata").GetProperty("schema_version").GetString(), Is.EqualTo(RunResults.SchemaVersion));
            Assert.That(root.GetProperty("metadata").GetProperty("build_started_at").GetDateTimeOffset(), Is.EqualTo(BuildStates.SecondBuild));
            Assert.That(root.GetProperty("elapsed_time").GetDouble(), Is.EqualTo(6.0));
            Assert.That(Status(results["phase.Ingestion"]), Is.EqualTo(("up_to_date", false)));
            Assert.That(Status(results["phase.Staging"]), Is.EqualTo(("error", true)));
            Assert.That(results["phase.Staging"].GetProperty("message").GetString(), Does.Contain("emial"));
            Assert.That(Status(results["phase.Unification"]), Is.EqualTo(("not_run_upstream_failed", false)));
            Assert.That(Status(results["step.Staging.Execute"]), Is.EqualTo(("error", true)));
            Assert.That(Status(results["step.Staging.Validate"]), Is.EqualTo(("success", false)), "the first build's Validate, marked as such");
            Assert.That(Status(results["check.Staging.staging_rows"]), Is.EqualTo(("pass", false)));
        });
        Assert.That(RunResults.LastBuildStartedAt(path), Is.EqualTo(BuildStates.SecondBuild), "a report written on its own later describes this build");
    }

    static (string?, bool) Status(JsonElement r) => (r.GetProperty("status").GetString(), r.GetProperty("in_this_build").GetBoolean());
}

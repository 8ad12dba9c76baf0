using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Build.Logging.StructuredLogger;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The plan against the build that follows it, through the real 'dotnet build' on the retail sample: for
/// each reason a step runs (a setting, a SQL file, a hand edit, a deleted generated file, the upstream phase,
/// a failure, data a hook wrote), the steps the plan says run are exactly the step targets that ran in the
/// binlog, and the reason is in the log, under the target in the binlog and in run_log.jsonl. -t:CdpPlan
/// leaves the project folder, obj/, the state and the warehouse byte for byte as they were.
/// One workspace, in order, because each build builds on the one before.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class PlanBuildTests
{
    string _workspace = "";
    string _outside = "";

    string Project => Path.Combine(_workspace, "retail.cdpproj");

    [OneTimeSetUp]
    public void FirstBuild()
    {
        _workspace = PackedSdk.CopySample("retail");
        _outside = Path.Combine(PackedSdk.Root, "plan-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(_outside);
        // A warn-only check that fails on the sample's data (customer 1029 has no email): CdpWarningsAsErrors turns it into a failure.
        File.WriteAllText(Project, File.ReadAllText(Project).Replace("</Project>", """
              <ItemGroup>
                <CdpCheck Include="customer_email_present" Phase="Staging" Table="shopify_customers" Column="cleaned_email" Rule="not_null" Severity="warn" />
              </ItemGroup>
            </Project>
            """));
        var first = DotNet.Build(_workspace, Project, "-t:CdpPipeline");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
    }

    [Test, Order(1)]
    public void ASettingASqlFileAHandEditAndADeletedFolderArePlannedAndTheBuildRunsExactlyThat()
    {
        File.WriteAllText(Project, File.ReadAllText(Project).Replace(
            "<CdpStaging Include=\"web_signups\" EmailColumns=\"email\" TimestampColumns=\"event_time\"", "<CdpStaging Include=\"web_signups\" EmailColumns=\"email\""));
        File.AppendAllText(Path.Combine(_workspace, "sql", "web_signups.sql"), "-- reviewed\n");
        var workflows = Path.Combine(_workspace, "obj", "cdp", "workflows");
        var edited = Path.Combine(workflows, "unification", "unif_runner.dig");
        File.AppendAllText(edited, "# a hand edit\n");
        Directory.Delete(Path.Combine(workflows, "hist_union"), recursive: true);
        string[] decide = ["-p:CdpHandEditedFiles=Regenerate"];

        var before = Snapshot();
        var plan = Plan(decide);
        Assert.That(Snapshot(), Is.EqualTo(before), "CdpPlan changed a file of the project folder, obj/, the state or the warehouse");
        Assert.That(Directory.Exists(Path.Combine(workflows, "hist_union")), Is.False, "CdpPlan restores nothing");

        var staging = plan.Step("Staging", "Execute");
        Assert.That(staging.Reasons.Select(r => r.Kind), Is.EquivalentTo(new[] { "setting_changed", "file_changed" }));
        Assert.That(staging.Reasons.Single(r => r.Kind == "setting_changed").Name, Is.EqualTo("CdpStaging(web_signups).TimestampColumns"));
        Assert.That(staging.Reasons.Single(r => r.Kind == "file_changed").File, Is.EqualTo("sql/web_signups.sql"));
        Assert.That(plan.Step("Unification", "Deploy").Reasons.Select(r => r.Kind), Is.EquivalentTo(new[] { "upstream_runs", "hand_edited" }));
        Assert.That(plan.Restored("HistUnion"), Is.Not.Empty);
        Assert.That(plan.Text, Does.Contain("staging/queries/web_signups_transform.sql changed").And.Contain("writes tables: retail_stg.shopify_customers"));

        var (output, build) = BuildPipeline("a.binlog", decide);
        AssertRan(plan.Running, build);
        Assert.That(Directory.Exists(Path.Combine(workflows, "hist_union")), Is.True, "the deleted folder is written again");
        Assert.That(output, Does.Contain("Staging Execute runs: CdpStaging(web_signups).TimestampColumns removed (was [\"event_time\"]); sql/web_signups.sql changed"));
        var target = Binlog.Phases(build).Single(p => p.Phase == "Staging").Steps["CdpExecute"];
        Assert.That(target.FindChildrenRecursive<Message>().Select(m => m.Text), Has.Some.StartsWith("Staging Execute runs: "), "the reason under the target in the binlog");
        var started = RunLog().Where(e => e.GetProperty("event").GetString() == "step_started").ToList();
        Assert.That(started.Last(e => e.GetProperty("phase").GetString() == "Unification" && e.GetProperty("step").GetString() == "Deploy").GetProperty("reason").GetString(),
            Does.Contain("upstream phase Staging runs in this build").And.Contain("unification/unif_runner.dig was edited by hand since the last Deploy"));
    }

    [Test, Order(2)]
    public void AFailedStepIsWhereTheNextBuildResumes()
    {
        File.AppendAllText(Path.Combine(_workspace, "sql", "web_signups.sql"), "-- reviewed again\n");
        var failed = DotNet.Build(_workspace, Project, "-t:CdpPipeline", "-p:CdpWarningsAsErrors=true");
        Assert.That(failed.ExitCode, Is.Not.Zero, "the warn check fails Staging's Validate as an error:\n" + failed);

        var plan = Plan([]);
        Assert.That(plan.Running, Is.EqualTo(new[] { "Staging.Validate", "Unification.Generate", "Unification.Deploy", "Unification.Execute", "Unification.Monitor", "Unification.Validate" }));
        Assert.That(plan.Step("Staging", "Validate").Reasons.Single().Kind, Is.EqualTo("last_failed"));

        var (output, build) = BuildPipeline("b.binlog", []);
        AssertRan(plan.Running, build);
        Assert.That(output, Does.Contain("Staging Validate runs: the last run failed at Validate"));
    }

    [Test, Order(3)]
    public void NewDataFromAHookIsPlannedAfterTheHookAndRunsEverything()
    {
        // The README's hook: it refreshes a data file before the pipeline, here with one more member.
        var download = Path.Combine(_workspace, "download");
        Directory.CreateDirectory(download);
        var members = Path.Combine(_workspace, "data", "pos", "members.csv");
        var lines = File.ReadAllLines(members);
        File.WriteAllLines(Path.Combine(download, "members.csv"), [.. lines, lines[^1].Replace(lines[^1].Split(',')[0], "99999")]);
        File.WriteAllText(Path.Combine(_workspace, "Directory.Build.targets"), """
            <Project>
              <PropertyGroup><CdpGenerateDependsOn>DownloadData</CdpGenerateDependsOn></PropertyGroup>
              <Target Name="DownloadData">
                <Copy SourceFiles="download/members.csv" DestinationFiles="data/pos/members.csv" />
                <Touch Files="data/pos/members.csv" />
              </Target>
            </Project>
            """);

        var (_, build) = BuildPipeline("c.binlog", []);
        // CdpPlan runs no hook (it changes nothing); the build's own plan is made after its hooks and kept in obj/cdp/plan.json.
        var plan = PlanDocument.Read(File.ReadAllText(Path.Combine(_workspace, "obj", "cdp", "plan.json")), "");
        Assert.That(plan.Running, Has.Length.EqualTo(20));
        var reason = plan.Step("Ingestion", "Generate").Reasons.Single();
        Assert.That((reason.Kind, reason.File), Is.EqualTo(("hook_data", "data/pos/members.csv")));
        Assert.That(reason.Text, Does.Contain("DownloadData"));
        AssertRan(plan.Running, build);

        // The hook copies the same bytes again: nothing to do, though the file is newer.
        var (again, second) = BuildPipeline("d.binlog", []);
        AssertRan([], second);
        Assert.That(again, Does.Contain("nothing to do"));
    }

    /// <summary>The step targets that ran in the binlog are the plan's, step for step; every other one was skipped as up to date.</summary>
    static void AssertRan(string[] planned, Build build)
    {
        var steps = Binlog.Phases(build).SelectMany(p => p.Steps.Values.Select(t => (p.Phase, Target: t))).ToList();
        Assert.That(steps, Has.Count.EqualTo(20));
        Assert.That(steps.Where(s => Binlog.Ran(s.Target)).Select(s => $"{s.Phase}.{s.Target.Name[3..]}"), Is.EqualTo(planned), "ran");
        Assert.That(steps.Where(s => !Binlog.Ran(s.Target)).All(s => Binlog.WasSkipped(s.Target)), Is.True, "the rest skipped as up to date");
    }

    (string Output, Build Build) BuildPipeline(string binlog, string[] extra)
    {
        var path = Path.Combine(_outside, binlog);
        var result = DotNet.Build(_workspace, [Project, "-t:CdpPipeline", $"-bl:{path}", .. extra]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return (result.Output, Binlog.Read(path));
    }

    PlanDocument Plan(string[] extra)
    {
        var file = Path.Combine(_outside, "plan-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        var json = DotNet.Build(_workspace, [Project, "-t:CdpPlan", "-p:CdpPlanFormat=json", $"-p:CdpPlanFile={file}", .. extra]);
        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        var text = DotNet.Build(_workspace, [Project, "-t:CdpPlan", .. extra]);
        Assert.That(text.ExitCode, Is.Zero, text.ToString());
        return PlanDocument.Read(File.ReadAllText(file), text.Output);
    }

    IEnumerable<JsonElement> RunLog() =>
        File.ReadAllLines(Path.Combine(_workspace, "obj", "cdp", "run_log.jsonl")).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);

    /// <summary>Every file of the workspace (project, data, obj/, warehouse) with its bytes' hash and its write time.</summary>
    Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(_workspace, "*", SearchOption.AllDirectories).ToDictionary(
            f => Path.GetRelativePath(_workspace, f),
            f => $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))} {File.GetLastWriteTimeUtc(f).Ticks}");

    sealed record Reason(string Kind, string Text, string? Name, string? File);

    sealed record PlannedStep(string Phase, string Step, string Decision, IReadOnlyList<Reason> Reasons);

    /// <summary>The plan's JSON as a tool reads it (schema/cdp-plan.schema.json), with the text form of the same plan.</summary>
    sealed record PlanDocument(IReadOnlyList<PlannedStep> Steps, IReadOnlyDictionary<string, string[]> RestoredFiles, string Text)
    {
        public string[] Running => Steps.Where(s => s.Decision == "will_run").Select(s => $"{s.Phase}.{s.Step}").ToArray();

        public PlannedStep Step(string phase, string step) => Steps.Single(s => s.Phase == phase && s.Step == step);

        public string[] Restored(string phase) => RestoredFiles[phase];

        static string Pascal(string snake) => string.Concat(snake.Split('_').Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

        public static PlanDocument Read(string json, string text)
        {
            var root = JsonDocument.Parse(json).RootElement;
            Assert.That(root.GetProperty("schema_version").GetString(), Does.Contain("cdp-plan"));
            var phases = root.GetProperty("phases").EnumerateArray().ToList();
            var steps = phases.SelectMany(p => p.GetProperty("steps").EnumerateArray().Select(s => new PlannedStep(
                Pascal(p.GetProperty("phase").GetString()!), Pascal(s.GetProperty("step").GetString()!), s.GetProperty("decision").GetString()!,
                s.GetProperty("reasons").EnumerateArray().Select(r => new Reason(r.GetProperty("kind").GetString()!, r.GetProperty("text").GetString()!,
                    r.TryGetProperty("name", out var n) ? n.GetString() : null, r.TryGetProperty("file", out var f) ? f.GetString() : null)).ToList()))).ToList();
            var restored = phases.ToDictionary(p => Pascal(p.GetProperty("phase").GetString()!),
                p => p.GetProperty("restored_files").EnumerateArray().Select(f => f.GetString()!).ToArray());
            return new PlanDocument(steps, restored, text);
        }
    }
}

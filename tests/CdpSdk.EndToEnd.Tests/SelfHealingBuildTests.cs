using System.Text.Json.Nodes;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// A wrong column in a staging transform, through the real 'dotnet build -t:CdpPipeline': HumanInLoop stops
/// with the diagnosis, the diff and the approval switch; the approved rerun backs the file up, fixes it and
/// completes; Autonomous completes in one build. Either way the next build has nothing left to do.
/// </summary>
[TestFixture]
public sealed class SelfHealingBuildTests
{
    const string Misspelt = "cleaned_emial";

    [Test]
    public void HumanInLoopStopsWithTheProposalAndTheApprovedRerunFixesAndCompletes()
    {
        var (dir, project, sql) = SampleWithWrongTransformColumn();
        var original = File.ReadAllText(sql);

        var stopped = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(stopped.ExitCode, Is.Not.Zero, stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("Referenced column \"cleaned_emial\" not found"), "the original error is shown");
        Assert.That(stopped.Output, Does.Contain("error CDP6104").And.Contain("Replace 'cleaned_emial' with 'cleaned_email'"), stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("sql/web_signups.sql:5").And.Contain("- CASE WHEN cleaned_emial IS NULL").And.Contain("+ CASE WHEN cleaned_email IS NULL"), "the fix is shown as a diff");
        Assert.That(stopped.Output, Does.Contain("-p:CdpApprove=CDP6104"), "the exact switch that approves it");
        Assert.That(stopped.Output, Does.Not.Contain("Unification: generated"), "Unification must not start");
        Assert.That(File.ReadAllText(sql), Is.EqualTo(original), "nothing is changed without approval");
        Assert.That(State(dir)["phases"]!["Staging"]!["pendingFix"]!["diagnosis"]!["code"]!.GetValue<string>(), Is.EqualTo("CDP6104"));
        Assert.That(stopped.Output, Does.Contain("waiting for approval: Staging CDP6104"), "the summary says what the pipeline waits for");
        var report = File.ReadAllText(Path.Combine(dir, "bin", "cdp", "report.md"));
        Assert.That(report, Does.Contain("## Retries and decisions").And.Contain("| stopped | CDP6104 |").And.Contain("-p:CdpApprove=CDP6104"), "the report lists the stop and the approving command");

        var approved = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpApprove=CDP6104", $"-bl:{Path.Combine(dir, "approved.binlog")}");
        Assert.That(approved.ExitCode, Is.Zero, approved.ToString());
        Assert.That(approved.Output, Does.Contain("warning CDP6003"), "the applied fix is announced");
        Assert.That(File.ReadAllText(sql), Does.Contain("cleaned_email IS NULL").And.Not.Contain(Misspelt));
        var phases = Binlog.Phases(Binlog.Read(Path.Combine(dir, "approved.binlog"))).ToDictionary(p => p.Phase);
        Assert.That(phases["Ingestion"].Steps.Values.All(Binlog.WasSkipped) && phases["HistUnion"].Steps.Values.All(Binlog.WasSkipped), Is.True, "it resumes at Staging");
        Assert.That(phases["Unification"].Steps.Values.All(Binlog.Ran), Is.True, "and completes the pipeline");
        AssertBackedUp(dir, sql, original);
        Assert.That(Decisions(dir), Has.Some.Matches<JsonNode>(d => (string?)d["decision"] == "apply_fix" && (string?)d["diagnosis"] == "CDP6104" && ((string?)d["reason"])!.Contains("CdpApprove")));
        Assert.That(State(dir)["phases"]!["Staging"]!["pendingFix"], Is.Null, "the approval is used up");
        Assert.That(File.ReadAllText(Path.Combine(dir, "bin", "cdp", "report.md")), Does.Contain("| fix applied | CDP6104 |"), "the report lists the applied fix");

        AssertNothingLeftToDo(dir, project);

        // The backup is restorable from the command line; the restore saves the fixed file first.
        var listed = DotNet.Build(dir, project, "-t:CdpRestore");
        var id = Path.GetFileName(Path.GetDirectoryName(Directory.GetFiles(Path.Combine(dir, "obj", "cdp", "backups"), "backup.json", SearchOption.AllDirectories)[0]))!;
        Assert.That(listed.Output, Does.Contain(id).And.Contain("CDP6104").And.Contain("web_signups.sql"), listed.ToString());
        var restored = DotNet.Build(dir, project, "-t:CdpRestore", $"-p:CdpBackup={id}");
        Assert.That(restored.ExitCode, Is.Zero, restored.ToString());
        Assert.That(File.ReadAllText(sql), Is.EqualTo(original));
        Assert.That(Directory.GetDirectories(Path.Combine(dir, "obj", "cdp", "backups")), Has.Length.EqualTo(2), "the fixed file was saved before the restore");
    }

    [Test]
    public void AutonomousFixesTheColumnAndCompletesInOneBuild()
    {
        var (dir, project, sql) = SampleWithWrongTransformColumn();
        var original = File.ReadAllText(sql);

        var result = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpMode=Autonomous");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("warning CDP6003").And.Contain("Replace 'cleaned_emial' with 'cleaned_email'"));
        Assert.That(File.ReadAllText(sql), Does.Not.Contain(Misspelt));
        AssertBackedUp(dir, sql, original);
        Assert.That(Decisions(dir), Has.Some.Matches<JsonNode>(d => (string?)d["decision"] == "apply_fix" && (string?)d["mode"] == "Autonomous"));

        AssertNothingLeftToDo(dir, project);
    }

    /// <summary>
    /// The wrong name is in the .cdpproj itself. MSBuild read the project before the fix edited it, so the
    /// phases after Staging only see the fix through obj/cdp/project_fixes.json.
    /// </summary>
    [Test]
    public void AutonomousFixesAWrongColumnInTheProjectFileAndTheLaterPhasesSeeTheFix()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        var text = File.ReadAllText(project);
        var broken = text.Replace("EmailColumns=\"email\" PhoneColumns=\"mobile\"", "EmailColumns=\"email\" PhoneColumns=\"mobil\"");
        Assert.That(broken, Is.Not.EqualTo(text), "the sample's pos_members staging item changed shape; update this test");
        File.WriteAllText(project, broken);

        var result = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpMode=Autonomous");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Replace 'mobil' with 'mobile'"));
        Assert.That(File.ReadAllText(project), Is.EqualTo(text), "the project file is corrected in place, nothing else changed");

        AssertNothingLeftToDo(dir, project);
    }

    static (string Dir, string Project, string Sql) SampleWithWrongTransformColumn()
    {
        var dir = PackedSdk.CopySample("retail");
        var sql = Path.Combine(dir, "sql", "web_signups.sql");
        var text = File.ReadAllText(sql);
        Assert.That(text, Does.Contain("CASE WHEN cleaned_email IS NULL"), "the sample's transform changed shape; update this test");
        File.WriteAllText(sql, text.Replace("cleaned_email IS NULL", Misspelt + " IS NULL"));
        // The sample's unit test of this transform would stop the phase before Execute (CDP5301), which is its
        // job; here the failure must reach the real run, where the healer diagnoses and fixes it.
        var project = Path.Combine(dir, "retail.cdpproj");
        var xml = File.ReadAllText(project);
        var at = xml.IndexOf("<PropertyGroup>", StringComparison.Ordinal) + "<PropertyGroup>".Length;
        File.WriteAllText(project, xml.Insert(at, "\n    <CdpRunTests>false</CdpRunTests>"));
        return (dir, project, sql);
    }

    static void AssertBackedUp(string dir, string file, string original)
    {
        var backups = Directory.GetFiles(Path.Combine(dir, "obj", "cdp", "backups"), "backup.json", SearchOption.AllDirectories);
        Assert.That(backups, Has.Length.EqualTo(1), "one backup, of the one file the fix changed");
        var manifest = JsonNode.Parse(File.ReadAllText(backups[0]))!;
        Assert.That((string?)manifest["files"]![0]!["originalPath"], Is.EqualTo(Path.GetFullPath(file)));
        Assert.That(File.ReadAllText(Path.Combine(Path.GetDirectoryName(backups[0])!, "files", "0000")), Is.EqualTo(original), "the backup holds the file as it was");
    }

    static void AssertNothingLeftToDo(string dir, string project)
    {
        var again = DotNet.Build(dir, project, "-t:CdpPipeline", $"-bl:{Path.Combine(dir, "again.binlog")}");
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        var steps = Binlog.Phases(Binlog.Read(Path.Combine(dir, "again.binlog"))).SelectMany(p => p.Steps.Values.Select(t => $"{p.Phase}.{t.Name}|{Binlog.WasSkipped(t)}")).ToList();
        Assert.That(steps, Has.Count.EqualTo(20));
        Assert.That(steps.Where(s => s.EndsWith("|False", StringComparison.Ordinal)), Is.Empty, "after the fix, the next build skips every step");
    }

    static JsonNode State(string dir) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "obj", "cdp", "pipeline_state.json")))!;

    static IReadOnlyList<JsonNode> Decisions(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "obj", "cdp", "run_log.jsonl")).Select(l => JsonNode.Parse(l)!).Where(e => (string?)e["event"] == "decision").ToList();
}

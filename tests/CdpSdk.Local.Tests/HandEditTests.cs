using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;

using CdpSdk.Testing;

namespace CdpSdk.Local.Tests;

/// <summary>
/// A generated staging query edited by hand after the pipeline ran, then Generate or Deploy again through
/// the real PhaseRunner: each decision (ask, approve, regenerate, autonomous, keep) does what it says,
/// backs up before it overwrites, and leaves its decision in the run log.
/// </summary>
public sealed class HandEditTests : RetailSampleTest
{
    const string Query = "queries/pos_members_transform.sql";

    QualityGateTests.Harness _runner = null!;
    string _path = "";
    string _generated = "";
    string _edited = "";

    string Backups => Path.Combine(Sample.Root, "obj", "cdp", "backups");

    /// <summary>Runs the pipeline to Staging on the sample, then upper-cases the cleaned emails in the generated query by hand.</summary>
    async Task EditTheStagingQueryAfterARun()
    {
        var spec = Sample.Spec();
        _runner = new QualityGateTests.Harness(Sample, spec);
        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await _runner.RunPhaseAsync(phase);
        _path = Path.Combine(spec.Settings.GeneratedDir, "staging", "queries", "pos_members_transform.sql");
        _generated = File.ReadAllText(_path);
        _edited = _generated.Replace("lower(trim(", "upper(trim(");
        Assert.That(_edited, Is.Not.EqualTo(_generated), "the generated pos_members query changed shape; update this test");
        File.WriteAllText(_path, _edited);
    }

    /// <summary>The same pipeline with other runtime decisions (not part of any phase's hash, so nothing else reruns).</summary>
    QualityGateTests.Harness With(HandEditPolicy policy = HandEditPolicy.Ask, RunMode mode = RunMode.HumanInLoop, string[]? approved = null, PipelineSpec? spec = null)
    {
        spec ??= Sample.Spec();
        return new(Sample, spec with { Settings = spec.Settings with { Healing = spec.Settings.Healing with { HandEdits = policy, Mode = mode, Approved = approved ?? [] } } });
    }

    IReadOnlyList<System.Text.Json.Nodes.JsonObject> Decisions() =>
        RunLog.Beside(_runner.State.Path).Read().Where(e => (string?)e["event"] == "decision").ToList();

    [Test]
    [Reaches(DiagnosisCatalog.HandEdited)]
    public async Task AskInHumanInLoopStopsWithTheFilesADiffAndTheSwitchesAndOverwritesNothing()
    {
        await EditTheStagingQueryAfterARun();
        var revision = _runner.State.Load().Phase(Phase.Staging).Revision;
        var runner = With();

        foreach (var step in new[] { Step.Deploy, Step.Generate })
        {
            // Through StepHealer, as the build runs steps: the step's own CDP6111 reaches the user untouched.
            var error = Assert.ThrowsAsync<CdpException>(() => StepHealer.RunAsync(runner.Context(Phase.Staging), step))!;
            Assert.That(error.Diagnostic.Code, Is.EqualTo("CDP6111"), step.ToString());
            Assert.That(error.Message, Does.Contain("staging/" + Query)
                .And.Contain("-  NULLIF(lower(trim(CAST(t.\"email\" AS VARCHAR))), '') AS \"cleaned_email\",")
                .And.Contain("+  NULLIF(upper(trim(CAST(t.\"email\" AS VARCHAR))), '') AS \"cleaned_email\",")
                .And.Contain("-p:CdpApprove=CDP6111").And.Contain("-p:CdpHandEditedFiles=Keep"), step.ToString());
            Assert.That(error.Diagnostic.Location.File, Is.EqualTo(_path), "the error points at the edited file");
            Assert.That(DiagnosisCatalog.Diagnose(Failure.Of(error.Diagnostic, Phase.Staging, step)).Code, Is.EqualTo(DiagnosisCatalog.HandEdited));
            CatalogueCoverage.Reached(DiagnosisCatalog.HandEdited);
            Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited), $"{step} must not overwrite the edit");
        }
        Assert.That(_runner.State.Load().Phase(Phase.Staging).Revision, Is.EqualTo(revision), "nothing was deployed");
        Assert.That(new FileBackups(Backups).List(), Is.Empty);
        Assert.That(_runner.State.Load().Phase(Phase.Staging).PendingFix?.Diagnosis.Code, Is.EqualTo("CDP6111"), "the approval the rerun may give");
        Assert.That(Decisions().Select(d => ((string?)d["decision"], (string?)d["diagnosis"], (string?)d["step"])),
            Is.EqualTo(new[] { ("stop", "CDP6111", "Deploy"), ("stop", "CDP6111", "Generate") }));
    }

    [Test]
    public async Task ApprovalBacksTheEditUpThenRegeneratesBeforeDeploying()
    {
        await EditTheStagingQueryAfterARun();
        Assert.ThrowsAsync<CdpException>(() => StepHealer.RunAsync(With().Context(Phase.Staging), Step.Deploy));

        await StepHealer.RunAsync(With(approved: ["CDP6111"]).Context(Phase.Staging), Step.Deploy);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_generated), "regenerated before the upload");
        var backup = new FileBackups(Backups).List().Single();
        Assert.That(backup.Files.Select(f => f.OriginalPath), Is.EqualTo(new[] { _path }));
        Assert.That(Decisions().Select(d => (string?)d["decision"]), Is.EqualTo(new[] { "stop", "apply_fix", "regenerate_hand_edits" }));
        Assert.That(_runner.State.Load().Phase(Phase.Staging).PendingFix, Is.Null, "the approval is used up");
        var decision = Decisions()[^1];
        Assert.Multiple(() =>
        {
            Assert.That((string?)decision["decision"], Is.EqualTo("regenerate_hand_edits"));
            Assert.That((string?)decision["backup"], Is.EqualTo(backup.Id));
            Assert.That((string?)decision["reason"], Is.EqualTo("-p:CdpApprove=CDP6111"));
            Assert.That(decision["files"]!.AsArray().Select(f => (string?)f), Is.EqualTo(new[] { Query }));
            Assert.That(Sample.Log.Diagnostics.Where(d => d.Code == "CDP6111").Select(d => (d.Severity, d.Message.Contains(backup.Id))),
                Is.EqualTo(new[] { (DiagnosticSeverity.Warning, true) }));
        });

        new FileBackups(Backups).Restore(backup.Id);
        Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited), "the backup holds the edit");
    }

    [Test]
    public async Task RegenerateOverwritesTheEditAtGenerateAfterABackup()
    {
        await EditTheStagingQueryAfterARun();

        await PhaseRunner.RunAsync(With(HandEditPolicy.Regenerate).Context(Phase.Staging), Step.Generate);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_generated));
        var backup = new FileBackups(Backups).List().Single();
        new FileBackups(Backups).Restore(backup.Id);
        Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited));
        Assert.That(Decisions().Select(d => ((string?)d["decision"], (string?)d["step"], (string?)d["reason"])),
            Is.EqualTo(new[] { ("regenerate_hand_edits", "Generate", "CdpHandEditedFiles=Regenerate") }));
    }

    [Test]
    public async Task AutonomousModeRegeneratesAnEditWithoutAsking()
    {
        await EditTheStagingQueryAfterARun();

        await PhaseRunner.RunAsync(With(mode: RunMode.Autonomous).Context(Phase.Staging), Step.Deploy);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_generated));
        Assert.That(new FileBackups(Backups).List(), Has.Count.EqualTo(1));
        Assert.That(Decisions().Select(d => ((string?)d["decision"], (string?)d["reason"])),
            Is.EqualTo(new[] { ("regenerate_hand_edits", "CdpHandEditedFiles=Ask in Autonomous mode") }));
    }

    [Test]
    public async Task KeepDeploysAndRunsTheEditAndWarnsEachTime()
    {
        await EditTheStagingQueryAfterARun();
        var before = _runner.State.Load().Phase(Phase.Staging).Revision;
        var keep = With(HandEditPolicy.Keep);

        foreach (var step in new[] { Step.Deploy, Step.Execute, Step.Monitor, Step.Validate }) await PhaseRunner.RunAsync(keep.Context(Phase.Staging), step);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited));
        Assert.That(_runner.State.Load().Phase(Phase.Staging).Revision!.Name, Is.Not.EqualTo(before!.Name), "the edited project is a new revision");
        using (var backend = Sample.Backend(Sample.Spec()))
        {
            Assert.That(await RetailSample.Count(backend, "retail_stg", "SELECT count(*) FROM pos_members WHERE cleaned_email IS NOT NULL"), Is.GreaterThan(0));
            Assert.That(await RetailSample.Count(backend, "retail_stg", "SELECT count(*) FROM pos_members WHERE cleaned_email <> upper(cleaned_email)"), Is.Zero,
                "the warehouse holds what the edited query wrote");
        }

        // Generating again under Keep leaves the file as edited, and says so again.
        await PhaseRunner.RunAsync(keep.Context(Phase.Staging), Step.Generate);
        Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited));
        var warnings = Sample.Log.Diagnostics.Where(d => d.Code == "CDP6112").ToList();
        Assert.That(warnings.Select(w => w.Severity), Is.EqualTo(new[] { DiagnosticSeverity.Warning, DiagnosticSeverity.Warning }));
        Assert.That(warnings.Select(w => w.Message), Has.All.Contain("staging/" + Query));
        Assert.That(Decisions().Select(d => ((string?)d["decision"], (string?)d["step"])), Is.EqualTo(new[] { ("keep_hand_edits", "Deploy"), ("keep_hand_edits", "Generate") }));
        Assert.That(new FileBackups(Backups).List(), Is.Empty, "nothing was overwritten, so nothing was backed up");
    }

    [Test]
    public async Task KeepSaysWhenTheProjectNowGeneratesSomethingElseForTheKeptFile()
    {
        await EditTheStagingQueryAfterARun();
        // pos_members no longer cleans its phone column: the generated query changes too.
        var changed = Sample.Spec((items, _) =>
        {
            var index = items.FindIndex(i => i.ItemType == "CdpStaging" && i.Identity == "pos_members");
            items[index] = items[index] with { Metadata = new Dictionary<string, string> { ["EmailColumns"] = "email" } };
        });

        await PhaseRunner.RunAsync(With(HandEditPolicy.Keep, spec: changed).Context(Phase.Staging), Step.Generate);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_edited), "Keep never overwrites the user's file");
        Assert.That(Sample.Log.Diagnostics.Single(d => d.Code == "CDP6112").Message,
            Does.Contain("now generates a different staging/" + Query).And.Contain("does not have that change").And.Contain("-p:CdpApprove=CDP6111"));
    }

    [Test]
    public async Task DeletedGeneratedFileIsWrittenAgainWithoutADecision()
    {
        await EditTheStagingQueryAfterARun();
        File.Delete(_path);

        await PhaseRunner.RunAsync(With().Context(Phase.Staging), Step.Deploy);

        Assert.That(File.ReadAllText(_path), Is.EqualTo(_generated));
        Assert.That(Sample.Log.Diagnostics.Where(d => d.Code.StartsWith("CDP61", StringComparison.Ordinal)), Is.Empty);
        Assert.That(Decisions(), Is.Empty);
        Assert.That(new FileBackups(Backups).List(), Is.Empty);
    }

    [Test]
    public async Task FileTheUserAddedIsLeftByDeployAndBackedUpBeforeGenerateRemovesIt()
    {
        await EditTheStagingQueryAfterARun();
        File.WriteAllText(_path, _generated);
        var notes = Path.Combine(Path.GetDirectoryName(_path)!, "notes.md");
        File.WriteAllText(notes, "why the emails look odd\n");

        await PhaseRunner.RunAsync(With().Context(Phase.Staging), Step.Deploy);
        Assert.That(File.Exists(notes), Is.True, "Deploy leaves the user's own files alone");

        await PhaseRunner.RunAsync(With().Context(Phase.Staging), Step.Generate);
        Assert.That(File.Exists(notes), Is.False, "the generated folder holds exactly the generated project");
        var backup = new FileBackups(Backups).List().Single();
        new FileBackups(Backups).Restore(backup.Id);
        Assert.That(File.ReadAllText(notes), Is.EqualTo("why the emails look odd\n"));
        Assert.That(Decisions().Select(d => ((string?)d["decision"], (string?)d["backup"])), Is.EqualTo(new[] { ("remove_unknown_files", backup.Id) }));
    }
}

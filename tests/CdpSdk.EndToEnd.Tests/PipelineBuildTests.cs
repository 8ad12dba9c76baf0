using System.Text.Json;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The retail sample through the real 'dotnet build', with a packed SDK: four phases in order, five steps
/// each; a second build skips all 20 step targets; a staging change re-runs Staging and Unification only.
/// One workspace, in order, because each build builds on the one before.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class PipelineBuildTests
{
    static readonly string[] PhaseOrder = ["Ingestion", "HistUnion", "Staging", "Unification"];
    string _workspace = "";

    string Project => Path.Combine(_workspace, "retail.cdpproj");

    [OneTimeSetUp]
    public void CopySample() => _workspace = PackedSdk.CopySample("retail");

    CommandResult BuildPipeline(string binlog) =>
        DotNet.Build(_workspace, Project, "-t:CdpPipeline", $"-bl:{Path.Combine(_workspace, binlog)}");

    [Test, Order(1)]
    public void FirstBuildRunsEveryPhaseThroughEveryStepInOrder()
    {
        var result = BuildPipeline("first.binlog");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        var build = Binlog.Read(Path.Combine(_workspace, "first.binlog"));
        Assert.That(build.Succeeded, Is.True);
        var phases = Binlog.Phases(build);
        Assert.That(phases.Select(p => p.Phase), Is.EqualTo(PhaseOrder));
        foreach (var phase in phases)
        {
            // The viewer titles a project node "retail.cdpproj → <entry targets>": the phase must be readable there.
            Assert.That(phase.EntryTargets, Is.EqualTo(new[] { $"Cdp{phase.Phase}Phase" }), phase.Phase);
            Assert.That(phase.Steps.Keys, Is.EquivalentTo(Binlog.StepTargets), phase.Phase);
            foreach (var step in phase.Steps.Values)
            {
                Assert.That(step.Succeeded, Is.True, $"{phase.Phase} {step.Name}");
                Assert.That(Binlog.Ran(step), Is.True, $"{phase.Phase} {step.Name} should have run");
            }
        }
        Assert.That(phases.SelectMany(p => p.Steps.Values).Select(t => t.StartTime), Is.Ordered, "steps ran strictly in order");
    }

    [Test, Order(2)]
    public void FirstBuildLeavesStateAndWarehouse()
    {
        var statePath = Path.Combine(_workspace, "obj", "cdp", "pipeline_state.json");
        using var state = JsonDocument.Parse(File.ReadAllText(statePath));
        var root = state.RootElement;
        Assert.That(root.GetProperty("pipelineId").GetString(), Does.StartWith("retail-"));
        foreach (var phase in PhaseOrder)
        {
            var p = root.GetProperty("phases").GetProperty(phase);
            Assert.That(p.GetProperty("status").GetString(), Is.EqualTo("Succeeded"), phase);
            Assert.That(p.GetProperty("sessions").GetArrayLength(), Is.GreaterThan(0), phase);
            Assert.That(p.GetProperty("tables").EnumerateArray().All(t => t.GetProperty("rows").GetInt64() > 0), Is.True, phase);
        }

        Assert.That(RowCount(_workspace, "retail_src.shopify_customers_hist_union"), Is.GreaterThan(0));
        Assert.That(RowCount(_workspace, "retail_stg.pos_members"), Is.GreaterThan(0));
        Assert.That(RowCount(_workspace, "cdp_unification_customer_360.enriched_shopify_customers"), Is.GreaterThan(0));
    }

    [Test, Order(3)]
    public void SecondBuildSkipsAllTwentyStepTargets()
    {
        var result = BuildPipeline("second.binlog");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        var phases = Binlog.Phases(Binlog.Read(Path.Combine(_workspace, "second.binlog")));
        Assert.That(phases.Select(p => p.Phase), Is.EqualTo(PhaseOrder));
        var steps = phases.SelectMany(p => p.Steps.Values.Select(t => (p.Phase, Target: t))).ToList();
        Assert.That(steps, Has.Count.EqualTo(20));
        Assert.That(steps.Where(s => !Binlog.WasSkipped(s.Target)).Select(s => $"{s.Phase}.{s.Target.Name}"), Is.Empty);
    }

    [Test, Order(4)]
    public void ChangingAStagingSettingRerunsOnlyStagingAndUnification()
    {
        var text = File.ReadAllText(Project);
        var changed = text.Replace("<CdpStaging Include=\"web_signups\" EmailColumns=\"email\" TimestampColumns=\"event_time\" TransformSql=\"sql/web_signups.sql\" />",
                                   "<CdpStaging Include=\"web_signups\" EmailColumns=\"email\" TransformSql=\"sql/web_signups.sql\" />");
        Assert.That(changed, Is.Not.EqualTo(text), "the sample's web_signups staging item changed shape; update this test");
        File.WriteAllText(Project, changed);

        var result = BuildPipeline("third.binlog");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        var phases = Binlog.Phases(Binlog.Read(Path.Combine(_workspace, "third.binlog"))).ToDictionary(p => p.Phase);
        foreach (var phase in new[] { "Ingestion", "HistUnion" })
            Assert.That(phases[phase].Steps.Values.All(Binlog.WasSkipped), Is.True, phase + " should be skipped");
        foreach (var phase in new[] { "Staging", "Unification" })
            Assert.That(phases[phase].Steps.Values.All(Binlog.Ran), Is.True, phase + " should run again");
    }

    [Test, Order(5)]
    public void DeletingTheWarehouseRerunsWhatFilledIt()
    {
        Directory.Delete(Path.Combine(_workspace, "warehouse"), recursive: true);

        var result = BuildPipeline("fourth.binlog");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        // Ingestion's generated project is unchanged; every later phase regenerates because its upstream re-validated.
        var phases = Binlog.Phases(Binlog.Read(Path.Combine(_workspace, "fourth.binlog")));
        Assert.That(Binlog.WasSkipped(phases[0].Steps["CdpGenerate"]), Is.True, "Ingestion generation is unchanged");
        var rerun = phases.SelectMany(p => p.Steps.Values.Select(t => (p.Phase, Target: t))).Skip(1).ToList();
        Assert.That(rerun.Where(s => !Binlog.Ran(s.Target)).Select(s => $"{s.Phase}.{s.Target.Name}"), Is.Empty);
        Assert.That(RowCount(_workspace, "cdp_unification_customer_360.enriched_pos_members"), Is.GreaterThan(0));
    }

    [Test, Order(6)]
    public void CleanRemovesBuildOutputButKeepsTheWarehouse()
    {
        var result = DotNet.Build(_workspace, Project, "-t:Clean");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(Directory.Exists(Path.Combine(_workspace, "obj", "cdp")), Is.False);
        Assert.That(File.Exists(LocalWarehouse.File(_workspace, "retail")), Is.True, "Clean never deletes the warehouse");
    }

    static long RowCount(string workspace, string table) => LocalWarehouse.Count(LocalWarehouse.File(workspace, "retail"), $"SELECT COUNT(*) FROM {table}");
}

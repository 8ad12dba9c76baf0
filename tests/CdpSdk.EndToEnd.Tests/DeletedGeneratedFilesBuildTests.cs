namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// Generated workflow files deleted by hand are written again by the next build, with nothing run twice:
/// the configuration still generates what was deployed, so every step stays up to date.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class DeletedGeneratedFilesBuildTests
{
    [Test]
    public void ADeletedWorkflowFolderIsWrittenAgainAndNoStepRunsTwice()
    {
        var workspace = PackedSdk.CopySample(Path.Combine("td-unification", "ex4"));
        var project = Path.Combine(workspace, "ex4.cdpproj");
        var first = DotNet.Build(workspace, project, "-t:CdpPipeline");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var workflows = Path.Combine(workspace, "obj", "cdp", "workflows");
        var files = Directory.GetFiles(workflows, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(workflows, f)).Order().ToList();
        var contents = files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(workflows, f)));

        Directory.Delete(workflows, recursive: true);
        var binlog = Path.Combine(workspace, "second.binlog");
        var second = DotNet.Build(workspace, project, "-t:CdpPipeline", $"-bl:{binlog}");

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(Directory.GetFiles(workflows, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(workflows, f)).Order(), Is.EqualTo(files));
        Assert.That(files.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(workflows, f))), Is.EqualTo(contents), "the same bytes as Generate wrote");
        var phases = Binlog.Phases(Binlog.Read(binlog));
        Assert.That(phases.Select(p => p.Phase), Is.EqualTo(new[] { "Ingestion", "HistUnion", "Staging", "Unification" }));
        Assert.That(phases.SelectMany(p => p.Steps.Values).Count(), Is.EqualTo(20));
        foreach (var phase in phases)
            foreach (var step in phase.Steps.Values)
                Assert.That(Binlog.WasSkipped(step), Is.True, $"{phase.Phase} {step.Name} should be up to date");
        Assert.That(second.Output, Does.Contain("deleted by hand written again"));
    }
}

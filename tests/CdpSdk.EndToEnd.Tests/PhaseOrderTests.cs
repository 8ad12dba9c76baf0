namespace CdpSdk.EndToEnd.Tests;

/// <summary>Per-phase builds respect the order of phases; generation alone needs no upstream data.</summary>
[TestFixture]
public sealed class PhaseOrderTests
{
    [Test]
    public void StepOfAPhaseWhoseUpstreamIsIncompleteFailsClearly()
    {
        var dir = PackedSdk.CopySample("retail");
        var result = DotNet.Build(dir, Path.Combine(dir, "retail.cdpproj"), "-t:CdpValidate", "-p:CdpPhase=Staging");

        Assert.That(result.ExitCode, Is.Not.Zero);
        Assert.That(result.Output, Does.Contain("error CDP0090").And.Contain("HistUnion is not complete"));
        Assert.That(Directory.Exists(Path.Combine(dir, "warehouse")), Is.False, "nothing may run against the warehouse");
    }

    [Test]
    public void GenerateWithoutAPhaseWritesEveryPhaseProjectOffline()
    {
        var dir = PackedSdk.CopySample("retail");
        var result = DotNet.Build(dir, Path.Combine(dir, "retail.cdpproj"), "-t:CdpGenerate");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var generated = Path.Combine(dir, "obj", "cdp", "workflows");
        foreach (var folder in new[] { "ingestion", "hist_union", "staging", "unification" })
            Assert.That(Directory.EnumerateFiles(Path.Combine(generated, folder), "*.dig"), Is.Not.Empty, folder);
        Assert.That(Directory.Exists(Path.Combine(dir, "warehouse")), Is.False, "Generate must not touch the warehouse");
    }
}

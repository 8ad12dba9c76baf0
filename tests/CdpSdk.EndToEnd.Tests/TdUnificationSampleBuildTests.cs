namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// TD's ID unification sample ex3 (two per-brand ids merged into one with merge_by_canonical_ids) through
/// the real 'dotnet build': the unify.yml TD's tutorial runs is accepted, runs, and the build says nothing
/// about TD's loop not converging.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class TdUnificationSampleBuildTests
{
    [Test]
    public void TdsMergedIdSampleBuildsWithoutAConvergenceWarning()
    {
        var workspace = PackedSdk.CopySample(Path.Combine("td-unification", "ex3"));
        var binlog = Path.Combine(workspace, "ex3.binlog");
        var result = DotNet.Build(workspace, Path.Combine(workspace, "ex3.cdpproj"), "-t:CdpPipeline", $"-bl:{binlog}");
        Assert.That(result.ExitCode, Is.Zero, result.ToString());

        var build = Binlog.Read(binlog);
        Assert.That(build.Succeeded, Is.True);
        Assert.That(Binlog.Phases(build).Select(p => p.Phase), Is.EqualTo(new[] { "Ingestion", "HistUnion", "Staging", "Unification" }));
        var text = Binlog.AllText(build).ToList();
        Assert.That(text, Has.None.Contains("CDP5200"), "TD converges on its own sample at merge_iterations 5");
        Assert.That(text, Has.Some.Contains("CDP0118"), "source columns without column: are TD's form, named as a warning");
    }
}

namespace CdpSdk.EndToEnd.Tests;

/// <summary>A failing step is followed by its diagnosis: what caused it and the fix we propose.</summary>
[TestFixture]
public sealed class DiagnosisBuildTests
{
    [Test]
    public void WrongStagingColumnStopsTheBuildWithItsDiagnosis()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        var text = File.ReadAllText(project);
        var broken = text.Replace("<CdpStaging Include=\"pos_members\" EmailColumns=\"email\" PhoneColumns=\"mobile\" />",
                                  "<CdpStaging Include=\"pos_members\" EmailColumns=\"email\" PhoneColumns=\"mobil\" />");
        Assert.That(broken, Is.Not.EqualTo(text), "the sample's pos_members staging item changed shape; update this test");
        File.WriteAllText(project, broken);

        var result = DotNet.Build(dir, project, "-t:CdpPipeline");

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("error CDP4001").And.Contain("no such column"), result.ToString());
        Assert.That(result.Output, Does.Contain("Diagnosis CDP6104 (Column 'mobil' does not exist").And.Contain("Proposed fix: Replace 'mobil' with 'mobile'"), result.ToString());
        Assert.That(result.Output, Does.Not.Contain("Phase Unification").And.Not.Contain("Unification: generated"), "Unification must not start");
    }
}

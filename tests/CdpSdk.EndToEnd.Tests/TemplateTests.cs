namespace CdpSdk.EndToEnd.Tests;

/// <summary>`dotnet new cdp` gives a project that runs the whole pipeline with the packed SDK.</summary>
[TestFixture]
public sealed class TemplateTests
{
    [Test]
    public void NewCdpProjectRunsThePipeline()
    {
        var workspace = PackedSdk.NewWorkspace("template");
        var hive = Path.Combine(workspace, ".template-hive"); // keeps the user's own template list untouched
        var templates = Path.Combine(RepoPaths.Root, "sdk", "CdpSdk.Templates", "CdpSdk.Templates.csproj");
        // Packed with the SDK's version, as build/CdpSdk.Build.proj -t:Pack does: a new project references that version by default.
        var pack = DotNet.Run(RepoPaths.Root, null, "pack", templates, "-o", Path.Combine(workspace, "templates"), $"-p:Version={PackedSdk.Version}", "-nodeReuse:false", "-nologo");
        Assert.That(pack.ExitCode, Is.Zero, pack.ToString());

        var nupkg = Directory.GetFiles(Path.Combine(workspace, "templates"), "CdpSdk.Templates.*.nupkg").Single();
        var install = DotNet.Run(workspace, null, "new", "install", nupkg, "--debug:custom-hive", hive);
        Assert.That(install.ExitCode, Is.Zero, install.ToString());
        var create = DotNet.Run(workspace, null, "new", "cdp", "-n", "shop360", "--client", "shop360", "--debug:custom-hive", hive);
        Assert.That(create.ExitCode, Is.Zero, create.ToString());

        var project = Path.Combine(workspace, "shop360", "shop360.cdpproj");
        Assert.That(File.ReadAllText(project), Does.Contain("<CdpClient>shop360</CdpClient>").And.Contain($"Sdk=\"CdpSdk/{PackedSdk.Version}\""));
        var build = DotNet.Build(workspace, project, "-t:CdpPipeline");
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        var warehouse = LocalWarehouse.File(Path.Combine(workspace, "shop360"), "shop360");
        Assert.That(File.Exists(warehouse), Is.True);
        Assert.That(LocalWarehouse.Count(warehouse, "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'cdp_unification_customers'"), Is.EqualTo(1));
    }
}

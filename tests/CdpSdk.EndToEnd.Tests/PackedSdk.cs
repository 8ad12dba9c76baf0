namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// Packs the SDK once per test run into a fresh local feed, and lays out workspaces that resolve it the
/// way a user's machine does: global.json msbuild-sdks plus a NuGet.config naming the feed. Each run uses
/// its own packages folder, so no test ever runs yesterday's SDK from the NuGet cache.
/// </summary>
[SetUpFixture]
public sealed class PackedSdk
{
    public const string Version = "1.0.0";

    public static string Root { get; private set; } = "";
    public static string Feed => Path.Combine(Root, "feed");
    public static string PackagesFolder => Path.Combine(Root, "packages");

    [OneTimeSetUp]
    public void PackSdk()
    {
        InterruptibleChildren.Ensure();
        Root = Path.Combine(Path.GetTempPath(), "cdpsdk-e2e-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Root);
        var pack = DotNet.Run(RepoPaths.Root, null, "pack", RepoPaths.SdkProject, "-c", "Release", "-o", Feed,
            $"-p:Version={Version}", "-nodeReuse:false", "-nologo");
        Assert.That(pack.ExitCode, Is.Zero, "packing the SDK failed:\n" + pack);
    }

    [OneTimeTearDown]
    public void Cleanup()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A new folder with global.json and NuGet.config pointing at the packed SDK.</summary>
    public static string NewWorkspace(string name)
    {
        var dir = Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "global.json"), $$"""{ "msbuild-sdks": { "CdpSdk": "{{Version}}" } }""");
        File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{PackagesFolder}" /></config>
              <packageSources><clear /><add key="cdpsdk" value="{Feed}" /></packageSources>
            </configuration>
            """);
        return dir;
    }

    /// <summary>A workspace holding a copy of a sample (its data included, its build output not).</summary>
    public static string CopySample(string sample)
    {
        var dir = NewWorkspace(sample);
        var from = RepoPaths.Sample(sample);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var top = relative.Split(Path.DirectorySeparatorChar)[0];
            if (top is "obj" or "bin" or "warehouse") continue;
            var target = Path.Combine(dir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }
}

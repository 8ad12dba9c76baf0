namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// The MSBuild conventions a user relies on, through the real 'dotnet build': a Directory.Build.props and
/// .targets beside the project, and the README's hook that refreshes a data file before the pipeline.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class ConventionBuildTests
{
    [Test]
    public void DirectoryBuildFilesAndADataRefreshingHookWork()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), """
            <Project>
              <PropertyGroup><CdpReportDir>shared-reports/</CdpReportDir></PropertyGroup>
            </Project>
            """);
        // The README's example: a hook that rewrites a data file (here a copy of the sample's, from a "download" folder).
        var data = Path.Combine(dir, "data", "shopify", "customers.csv");
        Directory.CreateDirectory(Path.Combine(dir, "download"));
        File.Copy(data, Path.Combine(dir, "download", "customers.csv"));
        File.WriteAllText(Path.Combine(dir, "Directory.Build.targets"), """
            <Project>
              <PropertyGroup><CdpGenerateDependsOn>DownloadData</CdpGenerateDependsOn></PropertyGroup>
              <Target Name="DownloadData">
                <Copy SourceFiles="download/customers.csv" DestinationFiles="data/shopify/customers.csv" />
                <Touch Files="data/shopify/customers.csv" />
                <ItemGroup><FileWrites Include="data/shopify/customers.csv" /></ItemGroup>
              </Target>
            </Project>
            """);

        var first = DotNet.Build(dir, project, "-t:CdpPipeline", $"-bl:{Path.Combine(dir, "first.binlog")}");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Output, Does.Not.Contain("CDP0091"));
        Assert.That(File.Exists(Path.Combine(dir, "shared-reports", "report.html")), Is.True, "CdpReportDir from Directory.Build.props");
        Assert.That(File.Exists(Path.Combine(dir, "bin", "cdp", "report.html")), Is.False);
        var build = Binlog.Read(Path.Combine(dir, "first.binlog"));
        var hooks = build.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Target>().Where(t => t.Name == "DownloadData" && !t.Skipped).ToList();
        Assert.That(hooks, Has.Count.EqualTo(1), "the hook runs once per build, not again in each phase build");

        // The hook writes the file again with the same bytes: files count by content, so nothing runs again
        // (ingestion_log is not appended twice) and every phase sees the same file.
        var second = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Output, Does.Not.Contain("CDP0091"));
        Assert.That(second.Output, Does.Not.Contain("Ingestion Execute runs"), "the same data again is not new data");

        var clean = DotNet.Build(dir, project, "-t:Clean");
        Assert.That(clean.ExitCode, Is.Zero, clean.ToString());
        Assert.That(File.Exists(data), Is.False, "Clean deletes what a hook declared in FileWrites");
        Assert.That(File.Exists(Path.Combine(dir, "shared-reports", "report.html")), Is.False, "Clean deletes the report where CdpReportDir put it");
    }
}

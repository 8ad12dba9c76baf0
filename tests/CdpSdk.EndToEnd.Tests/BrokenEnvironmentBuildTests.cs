using System.Text.RegularExpressions;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// After a good pipeline run, environments a user breaks by hand, through the real 'dotnet build': each is a
/// coded error naming the path (or, for generation on TD without a key, no error), never MSB4018 or a stack
/// trace, and no task crashes after another reported the problem. One workspace for all cases: these builds are slow.
/// </summary>
[TestFixture]
public sealed class BrokenEnvironmentBuildTests
{
    const string Project = """
        <Project Sdk="CdpSdk">
          <PropertyGroup>
            <CdpClient>acme</CdpClient>
          </PropertyGroup>
          <ItemGroup>
            <CdpSource Include="shop" Mode="incremental" IncrementalField="updated_at" />
            <CdpObject Include="customers" Source="shop" Location="data/customers.csv" />
            <CdpStaging Include="shop_customers" EmailColumns="email" />
            <CdpUnification Include="people" />
          </ItemGroup>
        </Project>
        """;

    static readonly string[] Quiet = ["-nodeReuse:false", "-nologo", "-clp:NoSummary"];

    static void AssertNoCrash(CommandResult result) =>
        Assert.That(result.Output, Does.Not.Contain("MSB4018").And.Not.Contain("Unhandled exception").And.Not.Match(@"\n\s+at [A-Z]\w+\.\w+"), result.ToString());

    static string[] Codes(CommandResult result) =>
        Regex.Matches(result.Output, @"error (?<code>CDP\d{4}):").Select(m => m.Groups["code"].Value).Distinct().ToArray();

    [Test]
    public void BrokenEnvironmentsAreCodedErrorsNamingThePathAndNothingCrashes()
    {
        var dir = PackedSdk.NewWorkspace("env");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "customers.csv"),
            "id,email,updated_at\n1,a@example.com,2024-01-01 00:00:00\n2,b@example.com,2024-01-02 00:00:00\n3,c@example.com,2024-01-03 00:00:00\n");
        var project = Path.Combine(dir, "acme.cdpproj");
        File.WriteAllText(project, Project);
        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["USERPROFILE"] = dir, ["TD_API_KEY"] = null };

        var good = DotNet.Run(dir, env, ["build", project, "-t:CdpPipeline", .. Quiet]);
        Assert.That(good.ExitCode, Is.Zero, good.ToString());

        // A TreasureData project generates offline: no key, no error.
        var generate = DotNet.Run(dir, env, ["build", project, "-t:CdpGenerate", "-p:CdpTarget=TreasureData", "-p:CdpRegion=us", .. Quiet]);
        Assert.That(generate.ExitCode, Is.Zero, generate.ToString());

        // A misspelt property on the command line, as in the project file.
        var typo = DotNet.Run(dir, env, ["build", project, "-t:CdpGenerate", "-p:CdpMonitorTimout=5", .. Quiet]);
        Assert.That(Codes(typo), Is.EqualTo(new[] { "CDP0001" }), typo.ToString());
        Assert.That(typo.Output, Does.Contain("CdpMonitorTimeout"));

        // CdpWarehouseDir naming a file.
        File.WriteAllText(Path.Combine(dir, "not-a-folder"), "x");
        var file = DotNet.Run(dir, env, ["build", project, "-t:CdpPipeline", "-p:CdpWarehouseDir=not-a-folder", .. Quiet]);
        Assert.That(Codes(file), Does.Contain("CDP3022"), file.ToString());
        Assert.That(file.Output, Does.Contain("not-a-folder"));
        AssertNoCrash(file);

        // A corrupt warehouse database: the report is still written and names the file.
        var database = Path.Combine(dir, "warehouse", "acme-cdp.duckdb");
        Assert.That(File.Exists(database), database);
        var saved = File.ReadAllBytes(database);
        File.WriteAllBytes(database, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 % 251))]);
        var report = DotNet.Run(dir, env, ["build", project, "-t:CdpReport", "-v:n", .. Quiet]);
        AssertNoCrash(report);
        Assert.That(report.Output, Does.Contain("acme-cdp.duckdb").And.Contain("not a usable DuckDB database"), report.ToString());
        File.WriteAllBytes(database, saved);

        // A corrupt state file: CDP9001 with the command that resets it, and the summary does not crash after it.
        var state = Path.Combine(dir, "obj", "cdp", "pipeline_state.json");
        File.WriteAllText(state, "{ not json");
        var corrupt = DotNet.Run(dir, env, ["build", project, "-t:CdpPipeline", .. Quiet]);
        Assert.That(Codes(corrupt), Does.Contain("CDP9001"), corrupt.ToString());
        Assert.That(corrupt.Output, Does.Contain("pipeline_state.json").And.Contain("dotnet build -t:Clean"));
        AssertNoCrash(corrupt);
    }
}

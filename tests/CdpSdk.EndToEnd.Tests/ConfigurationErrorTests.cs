using System.Text.RegularExpressions;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// Malformed .cdpproj files through the real 'dotnet build': each gives its CDP0xxx error at the file and
/// line of the offending element, and never an unhandled exception or a stack trace.
/// </summary>
[TestFixture]
public sealed class ConfigurationErrorTests
{
    const string ValidProject = """
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

    /// <param name="Needle">Text of the line the error must point at; null when the error has no line (a missing setting).</param>
    public sealed record Variant(string Name, string Code, Func<string, string> Mutate, string? Needle, string[]? ExtraArgs = null, Dictionary<string, string?>? Environment = null)
    {
        public override string ToString() => Name;
    }

    static string AddProperty(string project, string xml) => project.Replace("<CdpClient>acme</CdpClient>", "<CdpClient>acme</CdpClient>\n    " + xml);
    static string AddItem(string project, string xml) => project.Replace("  </ItemGroup>", "    " + xml + "\n  </ItemGroup>");

    public static IEnumerable<Variant> Variants() =>
    [
        new("missing client", "CDP0010", p => p.Replace("    <CdpClient>acme</CdpClient>\n", ""), null),
        new("client with capitals and dash", "CDP0011", p => p.Replace(">acme<", ">Acme-Retail<"), "<CdpClient>Acme-Retail"),
        new("unknown target", "CDP0012", p => AddProperty(p, "<CdpTarget>Cloud</CdpTarget>"), "<CdpTarget>"),
        new("unknown region", "CDP0013", p => AddProperty(p, "<CdpRegion>mars</CdpRegion>"), "<CdpRegion>"),
        new("endpoint not http", "CDP0014", p => AddProperty(p, "<CdpEndpoint>ftp://example.com</CdpEndpoint>"), "<CdpEndpoint>"),
        new("unknown sql engine", "CDP0015", p => AddProperty(p, "<CdpSqlEngine>spark</CdpSqlEngine>"), "<CdpSqlEngine>"),
        new("unknown mode", "CDP0016", p => AddProperty(p, "<CdpMode>Yolo</CdpMode>"), "<CdpMode>"),
        new("unknown phase", "CDP0017", p => p, null, ["-p:CdpPhase=Cleaning"]),
        new("bad database name", "CDP0018", p => AddProperty(p, "<CdpSourceDatabase>A</CdpSourceDatabase>"), "<CdpSourceDatabase>"),
        new("coverage above 100", "CDP0019", p => AddProperty(p, "<CdpMinIdCoverage>150</CdpMinIdCoverage>"), "<CdpMinIdCoverage>"),
        // Generation is offline; the key is needed from Deploy on.
        new("treasure data without api key", "CDP0020", p => AddProperty(p, "<CdpTarget>TreasureData</CdpTarget>"), null, ["-t:CdpDeploy", "-p:CdpPhase=Ingestion"]),
        new("malformed api key", "CDP0021", p => AddProperty(p, "<CdpTarget>TreasureData</CdpTarget>"), "<CdpTarget>",
            Environment: new() { ["TD_API_KEY"] = "not-a-key-secret-4321" }),
        new("api key in a property", "CDP0004", p => AddProperty(p, "<CdpApiKey>1/abcdefsecret</CdpApiKey>"), "<CdpApiKey>"),
        new("misspelt property", "CDP0001", p => AddProperty(p, "<CdpClinet>acme</CdpClinet>"), "<CdpClinet>"),
        new("misspelt property on the command line", "CDP0001", p => p, null, ["-p:CdpMonitorTimout=5"]),
        new("misspelt item type", "CDP0002", p => AddItem(p, "<CdpSorce Include=\"crm\" />"), "<CdpSorce"),
        new("misspelt metadata", "CDP0003", p => p.Replace("IncrementalField=", "IncrementalFeild="), "IncrementalFeild="),
        new("unknown load mode", "CDP0033", p => p.Replace("Mode=\"incremental\"", "Mode=\"sometimes\""), "Mode=\"sometimes\""),
        new("start date not a date", "CDP0034", p => p.Replace("IncrementalField=\"updated_at\"", "IncrementalField=\"updated_at\" StartDate=\"yesterday\""), "StartDate="),
        new("duplicate source", "CDP0032", p => AddItem(p, "<CdpSource Include=\"shop\" Mode=\"both\" />"), "<CdpSource Include=\"shop\" Mode=\"both\""),
        new("object of unknown source", "CDP0040", p => p.Replace("Source=\"shop\" Location", "Source=\"shoop\" Location"), "Source=\"shoop\""),
        new("missing data file", "CDP0045", p => p.Replace("data/customers.csv", "data/nothing.csv"), "data/nothing.csv"),
        new("staging of unknown table", "CDP0060", p => p.Replace("CdpStaging Include=\"shop_customers\"", "CdpStaging Include=\"shop_orders\""), "CdpStaging Include=\"shop_orders\""),
        new("merge iterations beyond TD's limit", "CDP0073", p => p.Replace("<CdpUnification Include=\"people\" />", "<CdpUnification Include=\"people\" MergeIterations=\"99\" />"), "MergeIterations=\"99\""),
        new("table mapped to an undeclared key", "CDP0075", p => AddItem(p, "<CdpUnificationKey Include=\"email\" />\n    <CdpUnificationTable Include=\"shop_customers\" KeyColumns=\"cleaned_email:email,phone:phone\" />"), "<CdpUnificationTable"),
        new("no unification", "CDP0078", p => p.Replace("    <CdpUnification Include=\"people\" />\n", ""), null),
    ];

    [TestCaseSource(nameof(Variants))]
    public void MalformedProjectGivesCodedErrorAtItsLocation(Variant variant)
    {
        var dir = PackedSdk.NewWorkspace("config");
        Directory.CreateDirectory(Path.Combine(dir, "data"));
        File.WriteAllText(Path.Combine(dir, "data", "customers.csv"), "id,email,updated_at\n1,a@example.com,2024-01-01\n");
        var text = variant.Mutate(ValidProject.ReplaceLineEndings("\n"));
        Assert.That(text, Is.Not.EqualTo(ValidProject.ReplaceLineEndings("\n")).Or.Property("Length").GreaterThan(0));
        var project = Path.Combine(dir, "acme.cdpproj");
        File.WriteAllText(project, text);

        var env = new Dictionary<string, string?> { ["HOME"] = dir, ["USERPROFILE"] = dir };
        foreach (var (k, v) in variant.Environment ?? []) env[k] = v;
        var result = DotNet.Run(dir, env, ["build", project, "-t:CdpGenerate", "-nodeReuse:false", "-nologo", "-clp:NoSummary", .. variant.ExtraArgs ?? []]);

        Assert.That(result.ExitCode, Is.Not.Zero, result.ToString());
        var errors = Regex.Matches(result.Output, @"^(?<file>.*?)(\((?<line>\d+),(?<col>\d+)\))?\s*:\s*error (?<code>CDP\d{4}):", RegexOptions.Multiline);
        var match = errors.FirstOrDefault(m => m.Groups["code"].Value == variant.Code);
        Assert.That(match, Is.Not.Null, $"expected {variant.Code}:\n{result.Output}");
        Assert.That(match!.Groups["file"].Value.Trim(), Does.EndWith("acme.cdpproj"));
        if (variant.Needle is not null)
        {
            var expectedLine = text.Split('\n').ToList().FindIndex(l => l.Contains(variant.Needle)) + 1;
            Assert.That(int.Parse(match.Groups["line"].Value), Is.EqualTo(expectedLine), result.Output);
        }
        Assert.That(result.Output, Does.Not.Contain("MSB4018").And.Not.Contain("Unhandled exception").And.Not.Match(@"\n\s+at CdpSdk\."));
        Assert.That(result.Output, Does.Not.Contain("abcdefsecret").And.Not.Contain("not-a-key-secret"), "a secret was printed");
    }
}

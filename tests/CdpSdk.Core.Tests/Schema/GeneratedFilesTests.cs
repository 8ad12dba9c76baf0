using CdpSdk.Core.Configuration.Schema;

namespace CdpSdk.Core.Tests.Schema;

/// <summary>
/// The committed IntelliSense schemas and README tables must be exactly what SchemaWriter produces from
/// SettingsCatalog. Run with CDP_UPDATE_SCHEMAS=1 to rewrite them instead of failing.
/// </summary>
public class GeneratedFilesTests
{
    const string Regenerate = "Regenerate with: CDP_UPDATE_SCHEMAS=1 dotnet test tests/CdpSdk.Core.Tests";
    public const string ReadmePath = "sdk/CdpSdk/README.md";

    static bool Updating => Environment.GetEnvironmentVariable("CDP_UPDATE_SCHEMAS") == "1";

    public static IEnumerable<TestCaseData> GeneratedFiles()
    {
        yield return new TestCaseData("sdk/CdpSdk/schema/CdpSdk.xsd", (Func<string>)SchemaWriter.Xsd).SetArgDisplayNames("CdpSdk.xsd");
        yield return new TestCaseData("sdk/CdpSdk/schema/cdpproj.xsd", (Func<string>)SchemaWriter.StandaloneXsd).SetArgDisplayNames("cdpproj.xsd");
        yield return new TestCaseData("sdk/CdpSdk/Sdk/Sdk.props.buildschema.json", (Func<string>)SchemaWriter.BuildSchemaJson).SetArgDisplayNames("Sdk.props.buildschema.json");
    }

    [TestCaseSource(nameof(GeneratedFiles))]
    public void CommittedSchemaMatchesCatalog(string relativePath, Func<string> generate)
    {
        var path = RepoPaths.Of(relativePath);
        var expected = generate();
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }
        Assert.That(File.Exists(path), Is.True, $"{relativePath} is missing. {Regenerate}");
        var actual = File.ReadAllText(path);
        Assert.That(actual, Is.EqualTo(expected), $"{relativePath} differs from what SettingsCatalog generates ({FirstDifference(actual, expected)}). {Regenerate}");
    }

    [Test]
    public void ReadmeTablesMatchCatalog()
    {
        var path = RepoPaths.Of(ReadmePath);
        Assert.That(File.Exists(path), Is.True, $"{ReadmePath} is missing.");
        var text = File.ReadAllText(path);
        var regions = SchemaWriter.ReadmeRegions();
        var missing = regions.Keys.Where(r => !text.Contains(SchemaWriter.Markers(r).Begin) || !text.Contains(SchemaWriter.Markers(r).End)).ToList();
        Assert.That(missing, Is.Empty, $"{ReadmePath} lacks the marker comments of these generated regions: " +
            string.Join(", ", missing.Select(r => $"{SchemaWriter.Markers(r).Begin} … {SchemaWriter.Markers(r).End}")));

        var expected = SchemaWriter.ApplyReadmeRegions(text);
        if (Updating && expected != text)
        {
            File.WriteAllText(path, expected);
            text = expected;
        }
        Assert.That(text, Is.EqualTo(expected), $"The generated tables of {ReadmePath} differ from SettingsCatalog ({FirstDifference(text, expected)}). {Regenerate}");
    }

    static string FirstDifference(string actual, string expected)
    {
        var a = actual.Split('\n');
        var e = expected.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, e.Length); i++)
        {
            var x = i < a.Length ? a[i] : "<end of file>";
            var y = i < e.Length ? e[i] : "<end of file>";
            if (x != y) return $"first difference at line {i + 1}: committed '{x.Trim()}', generated '{y.Trim()}'";
        }
        return "no line differs";
    }
}

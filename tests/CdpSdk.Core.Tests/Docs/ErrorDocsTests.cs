using System.Text.RegularExpressions;

namespace CdpSdk.Core.Tests.Docs;

/// <summary>Every CDPnnnn code the product can report has a section in docs/errors.md, where its help link points.</summary>
public partial class ErrorDocsTests
{
    const string ErrorsDoc = "docs/errors.md";

    [GeneratedRegex("\"(CDP[0-9]{4})\"")]
    private static partial Regex QuotedCode();

    [GeneratedRegex(@"^## (CDP[0-9]{4})\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    /// <summary>Codes in C# sources and in the SDK's MSBuild files (an &lt;Error Code="CDP…"&gt; needs a section too).</summary>
    static Dictionary<string, List<string>> CodesInSources()
    {
        var files = Directory.EnumerateFiles(RepoPaths.Of("src"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.Exists(RepoPaths.Of("sdk")) ? Directory.EnumerateFiles(RepoPaths.Of("sdk"), "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".props") || f.EndsWith(".targets")) : [])
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"));
        var codes = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in files)
            foreach (Match m in QuotedCode().Matches(File.ReadAllText(file)))
            {
                if (!codes.TryGetValue(m.Groups[1].Value, out var where)) codes[m.Groups[1].Value] = where = [];
                var relative = Path.GetRelativePath(RepoPaths.Root, file).Replace('\\', '/');
                if (!where.Contains(relative)) where.Add(relative);
            }
        return new Dictionary<string, List<string>>(codes);
    }

    static List<string> DocumentedCodes() => Heading().Matches(File.ReadAllText(RepoPaths.Of(ErrorsDoc))).Select(m => m.Groups[1].Value).ToList();

    [Test]
    public void EveryCodeUsedInSourcesHasASection()
    {
        var documented = DocumentedCodes().ToHashSet();
        var missing = CodesInSources().Where(c => !documented.Contains(c.Key)).Select(c => $"{c.Key} (used in {string.Join(", ", c.Value)})").ToList();
        Assert.That(missing, Is.Empty, $"Add a '## CDPnnnn' section (title, cause, fix) to {ErrorsDoc} for:\n  " + string.Join("\n  ", missing));
    }

    [Test]
    public void SectionsAreUniqueAndInOrder()
    {
        var documented = DocumentedCodes();
        Assert.That(documented, Is.Unique);
        Assert.That(documented, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
    }

    [Test]
    public void EverySectionHasATitleCauseAndFix()
    {
        var text = File.ReadAllText(RepoPaths.Of(ErrorsDoc)).Replace("\r\n", "\n");
        var sections = Regex.Split(text, @"(?m)^(?=## CDP[0-9]{4}\s*$)").Where(s => s.StartsWith("## CDP")).ToList();
        Assert.That(sections, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var section in sections)
            {
                var lines = section.Split('\n');
                var code = lines[0][3..].Trim();
                var title = lines.Skip(1).FirstOrDefault(l => l.Trim().Length > 0) ?? "";
                Assert.That(title, Does.Not.StartWith("#").And.Length.GreaterThan(3), $"{code} needs a one-line title under its heading");
                Assert.That(section, Does.Contain("**Cause**"), $"{code} needs a **Cause**");
                Assert.That(section, Does.Contain("**Fix**"), $"{code} needs a **Fix**");
            }
        });
    }
}

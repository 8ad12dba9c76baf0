using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Generation.Tests;

/// <summary>Real public workflows (Corpus/treasure-boxes, MIT) read and pass the push checks: the checker refuses no valid Digdag.</summary>
public sealed class CorpusTests
{
    static string Dir => Repo.Path("tests", "CdpSdk.Generation.Tests", "Corpus", "treasure-boxes");

    public static IEnumerable<TestCaseData> Workflows() =>
        Directory.EnumerateFiles(Dir, "*.dig").Order(StringComparer.Ordinal).Select(f => new TestCaseData(Path.GetFileName(f)).SetArgDisplayNames(Path.GetFileName(f)));

    [TestCaseSource(nameof(Workflows))]
    public void PublicWorkflowParsesAndPassesThePushRules(string file)
    {
        var text = File.ReadAllText(Path.Combine(Dir, file));
        var (root, problems) = YamlTree.Parse(text);
        Assert.That(problems, Is.Empty);
        Assert.That(root, Is.InstanceOf<YamlTreeMapping>());
        var found = DigdagPushRules.Check(new Dictionary<string, string> { [file] = text }, Dir, treasureData: true);
        Assert.That(found, Is.Empty, () => string.Join("\n", found));
    }

    [Test]
    public void TheCorpusIsThere() => Assert.That(Workflows().Count(), Is.GreaterThanOrEqualTo(4));
}

using CdpSdk.Core.Diagnostics;
using static CdpSdk.Core.Tests.Configuration.TdSampleConfigs;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>
/// No unify.yml text of any shape ends in an exception: every prefix of TD's five samples, and the samples with
/// bytes flipped, deleted or duplicated at random, give coded findings at a line of the file, or none.
/// </summary>
public class UnifyYmlRobustnessTests
{
    string folder = null!;

    [SetUp] public void CreateFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), "cdp-yml-fuzz-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void DeleteFolder() => Directory.Delete(folder, true);

    static IEnumerable<int> Samples => Enumerable.Range(1, 5);

    void AssertOnlyCodedFindings(string yml, string what)
    {
        IReadOnlyList<Diagnostic> diagnostics;
        try { diagnostics = Check(yml, folder).Diagnostics; }
        catch (Exception e) { Assert.Fail($"{what} threw {e.GetType().Name}: {e.Message}\n--- text ---\n{yml}"); return; }
        var lines = Math.Max(1, yml.Split('\n').Length);
        foreach (var d in diagnostics)
            Assert.That(d.Code is ['C', 'D', 'P', '0', _, _, _] && d.Location.Line >= 1 && d.Location.Line <= lines, Is.True,
                $"{what}: {d} (line {d.Location.Line} of {lines})\n--- text ---\n{yml}");
    }

    [TestCaseSource(nameof(Samples))]
    public void EveryPrefixOfASampleGivesCodedFindings(int sample)
    {
        var text = Sample(sample);
        for (var length = 0; length <= text.Length; length++)
            AssertOnlyCodedFindings(text[..length], $"ex{sample} prefix of {length}");
    }

    [TestCaseSource(nameof(Samples))]
    public void RandomMutationsOfASampleGiveCodedFindings(int sample)
    {
        var random = new Random(1000 + sample); // fixed seed: a failure repeats
        var text = Validated(sample);
        const string Alphabet = "[]{}:,-'\"#&*!|>%@` \n\t?~0aZ_$\\";
        for (var round = 0; round < 400; round++)
        {
            var chars = text.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    case 1: chars.RemoveAt(at); break;
                    default: chars.InsertRange(at, chars.Skip(at).Take(random.Next(1, 30)).ToList()); break;
                }
            }
            AssertOnlyCodedFindings(new string(chars.ToArray()), $"ex{sample} mutation {round}");
        }
    }

    [TestCase("merge_by_keys: [email")]
    [TestCase("keys: {name: [")]
    [TestCase("name: 'open")]
    [TestCase("a: *nothing")]
    [TestCase("- x\n- y")]
    [TestCase("")]
    [TestCase("---\nname: a\n---\nname: b\n")]
    [TestCase("name: !!binary AAAA\nkeys: !custom [x]\n")]
    [TestCase("? [a, b]\n: c\n")]
    [TestCase("keys: &k [{name: a}]\ntables: *k\ncanonical_ids: *k\n")]
    public void BrokenShapesGiveCodedFindings(string yml) => AssertOnlyCodedFindings(yml, "text");

    [Test]
    public void DeepNestingGivesACodedFinding()
    {
        var yml = "name: " + new string('[', 5000) + new string(']', 5000) + "\n";
        AssertOnlyCodedFindings(yml, "5000 nested lists");
        Assert.That(Check(yml, folder).Diagnostics.Select(d => d.Code), Has.Some.StartWith("CDP0"));
    }
}

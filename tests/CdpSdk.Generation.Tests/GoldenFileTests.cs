using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// Every phase's generated project for the retail sample, per dialect, equals the files committed under
/// Golden/{dialect}/{phase}/. After an intended change, rewrite them with
/// <c>CDP_UPDATE_GOLDEN=1 dotnet test tests/CdpSdk.Generation.Tests</c> and review the diff.
/// </summary>
public sealed class GoldenFileTests
{
    const string UpdateSwitch = "CDP_UPDATE_GOLDEN";
    static bool Updating => Environment.GetEnvironmentVariable(UpdateSwitch) == "1";

    public static IEnumerable<TestCaseData> Cases() =>
        from dialect in RetailSpecs.Dialects
        from phase in PhaseOrder.All
        select new TestCaseData(dialect, phase).SetArgDisplayNames(dialect, phase.ToString());

    [TestCaseSource(nameof(Cases))]
    public void GeneratedProjectMatchesTheGoldenFiles(string dialect, Phase phase)
    {
        var project = WorkflowGenerator.Generate(RetailSpecs.For(dialect), phase);
        var dir = Repo.Path("tests", "CdpSdk.Generation.Tests", "Golden", dialect, phase.FolderName());
        if (Updating)
        {
            ProjectWriter.Write(project, dir);
            Assert.Pass($"{UpdateSwitch}=1: rewrote {dir}");
        }

        var golden = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(dir, f).Replace('\\', '/'), File.ReadAllText)
            : [];
        var how = $"\nIf the change is intended, run: {UpdateSwitch}=1 dotnet test tests/CdpSdk.Generation.Tests  (then review the diff of {Path.GetRelativePath(Repo.Root, dir)})";
        Assert.That(project.Files.Select(f => f.RelativePath), Is.EquivalentTo(golden.Keys), "the set of generated files changed." + how);
        Assert.Multiple(() =>
        {
            foreach (var file in project.Files)
                Assert.That(file.Content, Is.EqualTo(golden[file.RelativePath].ReplaceLineEndings("\n")), $"{file.RelativePath} differs from its golden file." + how);
        });
    }

    [Test]
    public void GeneratedFilesHoldNoMachinePathOrSecret()
    {
        foreach (var dialect in RetailSpecs.Dialects)
            foreach (var phase in PhaseOrder.All)
                foreach (var file in WorkflowGenerator.Generate(RetailSpecs.For(dialect), phase).Files)
                    Assert.That(file.Content, Does.Not.Contain(Repo.Root).And.Not.Contain("abcdef0123456789"), $"{dialect}/{phase}/{file.RelativePath}");
    }
}

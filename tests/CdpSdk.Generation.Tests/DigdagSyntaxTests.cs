using CdpSdk.Core.Generation;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>Every generated .dig and .yml reads as YAML under Digdag's rules and passes the push-time checks.</summary>
public sealed class DigdagSyntaxTests
{
    public static IEnumerable<TestCaseData> Projects() =>
        from v in Variants.All()
        from phase in PhaseOrder.All
        select new TestCaseData(v.Spec, phase).SetArgDisplayNames(v.Name, phase.ToString());

    [TestCaseSource(nameof(Projects))]
    public void EveryWorkflowAndConfigParsesWithoutDuplicateKeys(PipelineSpec spec, Phase phase)
    {
        var project = WorkflowGenerator.Generate(spec, phase);
        var yaml = project.Files.Where(f => f.RelativePath.EndsWith(".dig") || f.RelativePath.EndsWith(".yml")).ToList();
        Assert.That(yaml, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in yaml)
            {
                var (root, problems) = YamlTree.Parse(file.Content);
                Assert.That(problems, Is.Empty, file.RelativePath);
                Assert.That(root, Is.InstanceOf<YamlTreeMapping>(), file.RelativePath + " is a mapping");
            }
        });
    }

    [TestCaseSource(nameof(Projects))]
    public void ProjectPassesDigdagPushRules(PipelineSpec spec, Phase phase)
    {
        var project = WorkflowGenerator.Generate(spec, phase);
        var problems = DigdagPushRules.Check(project, "/generated", spec.Settings.Target == TargetKind.TreasureData);
        Assert.That(problems, Is.Empty, () => string.Join("\n", problems));
    }

    [TestCaseSource(nameof(Projects))]
    public void EveryWorkflowExecuteStartsIsATopLevelDigFile(PipelineSpec spec, Phase phase)
    {
        var project = WorkflowGenerator.Generate(spec, phase);
        Assert.That(project.Workflows, Is.Not.Empty);
        Assert.That(project.Workflows.Select(w => w + ".dig"), Is.SubsetOf(project.Files.Select(f => f.RelativePath)));
    }

    [Test]
    public void IncludeKeysAreKeptApartAndDuplicatesAreFound()
    {
        var (root, problems) = YamlTree.Parse("_export:\n  !include : a.yml\n  !include : b.yml\n  td:\n    database: x\n+t:\n  echo>: 1\n+t:\n  echo>: 2\n");
        var export = (YamlTreeMapping)((YamlTreeMapping)root!).Get("_export")!;
        Assert.Multiple(() =>
        {
            Assert.That(export.Entries.Count(e => e.Key.IsInclude), Is.EqualTo(2));
            Assert.That(problems.Single().DuplicateKey, Is.True);
            Assert.That(problems.Single().Line, Is.EqualTo(8));
        });
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>Same inputs, same bytes; unchanged files keep their timestamps; files no longer produced go away.</summary>
public sealed class DeterminismTests
{
    string _dir = null!;

    [SetUp] public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "cdp-generation-tests", Guid.NewGuid().ToString("N"));

    [TearDown] public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    [Test]
    public void TwoGenerationsOfEveryVariantAreByteIdentical()
    {
        foreach (var (name, spec) in Variants.All())
            foreach (var phase in PhaseOrder.All)
            {
                var first = WorkflowGenerator.Generate(spec, phase);
                var second = WorkflowGenerator.Generate(spec, phase);
                Assert.That(second.Files, Is.EqualTo(first.Files), $"{name} {phase}");
                Assert.That(first.Files.Where(f => f.Content.Contains('\r') || !f.Content.EndsWith('\n')).Select(f => f.RelativePath), Is.Empty, $"{name} {phase}: \\n line endings, final newline");
            }
    }

    [Test]
    public void ChangingOneStagingSettingRewritesOnlyThatTablesQuery()
    {
        var before = RetailSpecs.For("presto");
        var after = RetailSpecs.For("presto", (items, _) =>
        {
            var web = items.Single(i => i.ItemType == "CdpStaging" && i.Identity == "web_signups");
            items[items.IndexOf(web)] = web with { Metadata = new Dictionary<string, string>(web.Metadata) { ["TimestampColumns"] = "" } };
        });
        foreach (var phase in PhaseOrder.All)
        {
            var dir = Path.Combine(_dir, phase.FolderName());
            ProjectWriter.Write(WorkflowGenerator.Generate(before, phase), dir);
            var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(f, old);

            var result = ProjectWriter.Write(WorkflowGenerator.Generate(after, phase), dir);

            var expected = phase == Phase.Staging ? new[] { "queries/web_signups_transform.sql" } : [];
            Assert.That(result.Written, Is.EqualTo(expected), phase.ToString());
            Assert.That(result.Deleted, Is.Empty, phase.ToString());
            Assert.That(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Where(f => File.GetLastWriteTimeUtc(f) != old)
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')), Is.EqualTo(expected), phase + ": only the changed file has a new timestamp");
        }
    }

    [Test]
    public void FilesOfARemovedSourceAreDeleted()
    {
        var dir = Path.Combine(_dir, "ingestion");
        ProjectWriter.Write(WorkflowGenerator.Generate(RetailSpecs.For("local"), Phase.Ingestion), dir);
        var withoutPos = RetailSpecs.For("local", (items, _) =>
        {
            items.RemoveAll(i => (i.ItemType == "CdpSource" && i.Identity == "pos") || (i.ItemType == "CdpObject" && i.Identity == "members"));
            items.RemoveAll(i => i.Identity == "pos_members" || i.Get("Table") == "pos_members" || i.Get("SourceColumns").Contains("pos_members."));
        });

        var result = ProjectWriter.Write(WorkflowGenerator.Generate(withoutPos, Phase.Ingestion), dir);

        Assert.That(result.Deleted, Is.EquivalentTo(new[] { "pos_ingest_inc.dig", "config/pos_datasources.yml", "config/pos_members_load.yml" }));
        Assert.That(result.Written, Is.Empty);
    }

    [Test]
    public void GenerationDoesNotDependOnTheMachine()
    {
        var here = RetailSpecs.For("hive");
        var elsewhere = here with { Settings = here.Settings with { WarehouseDir = "/elsewhere/warehouse", GeneratedDir = "/elsewhere/gen" } };
        foreach (var phase in PhaseOrder.All)
            Assert.That(WorkflowGenerator.Generate(elsewhere, phase).Files, Is.EqualTo(WorkflowGenerator.Generate(here, phase).Files));
        _ = SourceLocation.None;
    }
}

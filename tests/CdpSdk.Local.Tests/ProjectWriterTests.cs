using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

public sealed class ProjectWriterTests
{
    string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "cdp-writer-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    static GeneratedProject Project(params (string Path, string Content)[] files) =>
        new(Phase.Staging, "p_staging", files.Select(f => new GeneratedFile(f.Path, f.Content)).ToList(), ["w"]);

    [Test]
    public void UnchangedFilesKeepTheirTimestamps()
    {
        ProjectWriter.Write(Project(("w.dig", "a\n"), ("queries/q.sql", "select 1\n")), _dir);
        var old = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        foreach (var f in Directory.EnumerateFiles(_dir, "*", SearchOption.AllDirectories)) File.SetLastWriteTimeUtc(f, old);

        var result = ProjectWriter.Write(Project(("w.dig", "a\n"), ("queries/q.sql", "select 2\n")), _dir);

        Assert.Multiple(() =>
        {
            Assert.That(result.Unchanged, Is.EqualTo(new[] { "w.dig" }));
            Assert.That(result.Written, Is.EqualTo(new[] { "queries/q.sql" }));
            Assert.That(File.GetLastWriteTimeUtc(Path.Combine(_dir, "w.dig")), Is.EqualTo(old));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "queries", "q.sql")), Is.EqualTo("select 2\n"));
        });
    }

    [Test]
    public void FilesNoLongerProducedAreDeletedWithTheirEmptyFolders()
    {
        ProjectWriter.Write(Project(("w.dig", "a\n"), ("queries/old.sql", "x\n"), ("config/deep/x.yml", "y\n")), _dir);

        var result = ProjectWriter.Write(Project(("w.dig", "a\n")), _dir);

        Assert.Multiple(() =>
        {
            Assert.That(result.Deleted, Is.EquivalentTo(new[] { "queries/old.sql", "config/deep/x.yml" }));
            Assert.That(Directory.Exists(Path.Combine(_dir, "queries")), Is.False);
            Assert.That(Directory.Exists(Path.Combine(_dir, "config")), Is.False);
            Assert.That(File.Exists(Path.Combine(_dir, "w.dig")), Is.True);
            Assert.That(result.Changed, Is.True);
        });
    }

    [Test]
    public void SecondWriteOfSameProjectChangesNothing()
    {
        var project = Project(("w.dig", "a\n"), ("config/c.yml", "b\n"));
        ProjectWriter.Write(project, _dir);
        var result = ProjectWriter.Write(project, _dir);
        Assert.That(result.Changed, Is.False);
        Assert.That(result.Unchanged, Has.Count.EqualTo(2));
    }

    [Test]
    public void KeptFilesAreNeitherOverwrittenNorDeleted()
    {
        ProjectWriter.Write(Project(("w.dig", "a\n"), ("queries/q.sql", "select 1\n")), _dir);
        File.WriteAllText(Path.Combine(_dir, "queries", "q.sql"), "select 42 -- by hand\n");
        File.WriteAllText(Path.Combine(_dir, "notes.md"), "mine\n");

        var result = ProjectWriter.Write(Project(("w.dig", "b\n"), ("queries/q.sql", "select 2\n")), _dir, new HashSet<string> { "queries/q.sql", "notes.md" });

        Assert.Multiple(() =>
        {
            Assert.That(result.Kept, Is.EqualTo(new[] { "queries/q.sql" }));
            Assert.That(result.Written, Is.EqualTo(new[] { "w.dig" }));
            Assert.That(result.Deleted, Is.Empty);
            Assert.That(File.ReadAllText(Path.Combine(_dir, "queries", "q.sql")), Is.EqualTo("select 42 -- by hand\n"));
            Assert.That(File.ReadAllText(Path.Combine(_dir, "notes.md")), Is.EqualTo("mine\n"));
        });
    }
}

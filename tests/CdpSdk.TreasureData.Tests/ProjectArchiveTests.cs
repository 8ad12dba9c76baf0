using System.Formats.Tar;
using System.IO.Compression;
using CdpSdk.TreasureData.Deploy;

namespace CdpSdk.TreasureData.Tests;

/// <summary>The project archive is what Digdag's CLI uploads, read back with System.Formats.Tar.</summary>
public sealed class ProjectArchiveTests
{
    string _root = "";

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "cdp-archive-tests", Guid.NewGuid().ToString("N")[..10]);
        Write("main.dig", "+a:\n  echo>: hi\n");
        Write("queries/q.sql", "SELECT 1\n");
        Write("config/deep/x.yml", "a: 1\n");
        Write(".digdag/state", "local state");
        Write(".hidden.dig", "+x:\n  echo>: no\n");
        Write("queries/.swp", "editor");
        Write("notes.bak", "backup");
        Write("tmp/scratch.txt", "scratch");
        Write("scripts/run.py", "print(1)\n");
        Write(".digdagignore", "# comments are ignored\n*.bak\ntmp/\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(Path.Combine(_root, "scripts/run.py"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    static List<TarEntry> Read(byte[] archive)
    {
        using var tar = new TarReader(new GZipStream(new MemoryStream(archive), CompressionMode.Decompress));
        var entries = new List<TarEntry>();
        while (tar.GetNextEntry(copyData: true) is { } e) entries.Add(e);
        return entries;
    }

    [Test]
    public void ArchiveHoldsRegularFilesWithRelativeSlashNamesSortedAndNothingElse()
    {
        var entries = Read(ProjectArchive.Build(ProjectArchive.Entries(_root)));

        Assert.That(entries.Select(e => e.Name), Is.EqualTo(new[] { "config/deep/x.yml", "main.dig", "queries/q.sql", "scripts/run.py" }));
        Assert.That(entries.Select(e => e.EntryType), Is.All.EqualTo(TarEntryType.RegularFile));
        Assert.That(new StreamReader(entries[1].DataStream!).ReadToEnd(), Is.EqualTo("+a:\n  echo>: hi\n"));
    }

    [Test]
    public void EntriesKeepTheFileModeAndHaveFixedTimeAndOwner()
    {
        var entries = Read(ProjectArchive.Build(ProjectArchive.Entries(_root))).ToDictionary(e => e.Name);

        Assert.That(entries["main.dig"].Mode, Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead));
        if (!OperatingSystem.IsWindows())
            Assert.That(entries["scripts/run.py"].Mode & UnixFileMode.UserExecute, Is.EqualTo(UnixFileMode.UserExecute));
        Assert.That(entries.Values.Select(e => e.ModificationTime), Is.All.EqualTo(DateTimeOffset.UnixEpoch));
        Assert.That(entries.Values.Select(e => e.Uid), Is.All.Zero);
    }

    [Test]
    public void SameFilesGiveTheSameBytesAndRevisionWhateverTheirTimestamps()
    {
        var first = ProjectArchive.Build(ProjectArchive.Entries(_root));
        var revision = ProjectArchive.Revision(ProjectArchive.Entries(_root));
        File.SetLastWriteTimeUtc(Path.Combine(_root, "main.dig"), DateTime.UtcNow.AddDays(-3));

        Assert.That(ProjectArchive.Build(ProjectArchive.Entries(_root)), Is.EqualTo(first));
        Assert.That(ProjectArchive.Revision(ProjectArchive.Entries(_root)), Is.EqualTo(revision));
    }

    [Test]
    public void AnyContentChangeGivesANewRevision()
    {
        var before = ProjectArchive.Revision(ProjectArchive.Entries(_root));
        Write("queries/q.sql", "SELECT 2\n");

        Assert.That(ProjectArchive.Revision(ProjectArchive.Entries(_root)), Is.Not.EqualTo(before).And.StartWith("cdp-"));
    }

    [Test]
    public void IgnoredAndDotFilesDoNotChangeTheRevision()
    {
        var before = ProjectArchive.Revision(ProjectArchive.Entries(_root));
        Write("tmp/other.txt", "x");
        Write(".env", "SECRET=1");
        Write("more.bak", "x");

        Assert.That(ProjectArchive.Revision(ProjectArchive.Entries(_root)), Is.EqualTo(before));
    }

    [Test]
    public void AProjectAboveTdsLimitIsACodedError()
    {
        var noise = new byte[11 * 1024 * 1024];
        new Random(7).NextBytes(noise);
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), noise);

        var e = Assert.Throws<CdpSdk.Core.Diagnostics.CdpException>(() => ProjectArchive.Build(ProjectArchive.Entries(_root)));
        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2007"));
    }

    [TestCase("*.bak", "a/b/c.bak", true)]
    [TestCase("*.bak", "c.bak.txt", false)]
    [TestCase("/build", "build/x", true)]
    [TestCase("/build", "src/build/x", false)]
    [TestCase("logs/", "logs/", true)]
    [TestCase("logs/", "logs", false)]
    [TestCase("data/**/*.csv", "data/a/b/c.csv", true)]
    public void DigdagIgnoreFollowsGitignoreGlobs(string pattern, string path, bool ignored)
    {
        var rules = new DigdagIgnore();
        rules.Add(pattern);
        Assert.That(rules.Ignores(path), Is.EqualTo(ignored));
    }
}

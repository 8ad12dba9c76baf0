using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;

namespace CdpSdk.Core.Tests.Fixes;

public sealed class FileBackupsTests
{
    string _root = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), "cdp-backups-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void RestoringABackupPutsEditedFilesBack()
    {
        var dig = Path.Combine(_root, "workflows", "staging", "transform_pos.dig");
        Directory.CreateDirectory(Path.GetDirectoryName(dig)!);
        File.WriteAllText(dig, "hand edited\n");
        var backups = new FileBackups(Path.Combine(_root, "backups"));

        var backup = backups.Save("CDP6101 regenerate", [dig, Path.Combine(_root, "missing.sql")]);
        File.WriteAllText(dig, "regenerated\n");
        backups.Restore(backup.Id);

        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllText(dig), Is.EqualTo("hand edited\n"));
            Assert.That(backup.Files.Select(f => f.OriginalPath), Is.EqualTo(new[] { dig }), "missing files are skipped");
            Assert.That(backups.List().Single().Reason, Is.EqualTo("CDP6101 regenerate"));
            Assert.That(backup.Files[0].Sha256, Is.EqualTo(FileBackups.Hash(dig)));
        });
    }

    [Test]
    public void RestoringAnUnknownBackupIsACodedError()
    {
        var e = Assert.Throws<CdpException>(() => new FileBackups(Path.Combine(_root, "backups")).Restore("nope"));
        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP6001"));
    }
}

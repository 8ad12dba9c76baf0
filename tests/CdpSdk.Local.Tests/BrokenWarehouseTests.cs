using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Tests;

/// <summary>The user's environment breaking the Local warehouse is a coded error naming the path, never a bare SQLite message or a crash.</summary>
public sealed class BrokenWarehouseTests : RetailSampleTest
{
    [Test]
    public void AWarehouseFolderThatIsAFileIsCdp3022NamingIt()
    {
        var file = Path.Combine(Sample.Root, "warehouse-file");
        File.WriteAllText(file, "not a folder");
        using var backend = new LocalBackend(file, Sample.Root, Sample.Log);
        var dir = Path.Combine(Sample.Root, "projects", "p");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "w.dig"), "+a:\n  echo>: hi\n");

        var e = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync("p", dir, CancellationToken.None))!;

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP3022"));
        Assert.That(e.Message, Does.Contain(file).And.Contain("CdpWarehouseDir"));
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a folder"));
    }

    [Test]
    public async Task ACorruptWarehouseFileIsCdp3024NamingItAndTheReportIsStillWritten()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);
        var database = Path.Combine(spec.Settings.WarehouseDir, "retail_src.db");
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(database, garbage);

        var query = Assert.ThrowsAsync<CdpException>(() => backend.QueryAsync("retail_src", "SELECT 1", CancellationToken.None))!;
        Assert.That(query.Diagnostic.Code, Is.EqualTo("CDP3024"));
        Assert.That(query.Message, Does.Contain(database));
        var tables = Assert.ThrowsAsync<CdpException>(() => backend.ListTablesAsync("retail_src", CancellationToken.None))!;
        Assert.That(tables.Diagnostic.Code, Is.EqualTo("CDP3024"));

        var project = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var revision = await backend.DeployAsync(project.ProjectName, Path.Combine(spec.Settings.GeneratedDir, "ingestion"), CancellationToken.None);
        var session = await backend.StartAsync(revision, "pos_ingest_inc", RetailSample.SessionTime.AddDays(1), CancellationToken.None);
        var status = await backend.GetStatusAsync(session, CancellationToken.None);
        Assert.That(status.State, Is.EqualTo(RunState.Error));
        Assert.That(status.Tasks.First(t => t.State == "error").Error, Does.StartWith("CDP3024:").And.Contain(database));

        var report = await ReportWriter.WriteAsync(spec, new Core.State.PipelineState(), Sample.ProjectFile, Path.Combine(Sample.Root, "obj", "cdp"), backend, CancellationToken.None);
        Assert.That(File.Exists(report.Html));
        Assert.That(report.Data.Notes, Has.Some.Contain("CDP3024").Or.Some.Contain(Path.GetRelativePath(Sample.Root, database).Replace('\\', '/')));
        Assert.That(File.ReadAllBytes(database), Is.EqualTo(garbage), "the file is left for the user to inspect");
    }

    [TestCase(13, "CDP3025", "is full")]
    [TestCase(8, "CDP3023", "writable")]
    [TestCase(14, "CDP3023", "writable")]
    [TestCase(26, "CDP3024", "not a usable SQLite database")]
    public void SqliteFailuresOfTheEnvironmentNameTheWarehouseFile(int sqliteCode, string code, string says)
    {
        var failure = WarehouseFailures.Translate(new SqliteException("SQLite Error", sqliteCode), "/data/warehouse/retail_src.db");

        Assert.That(failure, Is.Not.Null);
        Assert.That(failure!.Diagnostic.Code, Is.EqualTo(code));
        Assert.That(failure.Message, Does.Contain("/data/warehouse/retail_src.db").And.Contain(says));
        Assert.That(failure.Diagnostic.Location.File, Is.EqualTo("/data/warehouse/retail_src.db"));
    }

    [Test]
    public void AQuerysOwnErrorIsNotTakenForTheEnvironment() =>
        Assert.That(WarehouseFailures.Translate(new SqliteException("no such column: x", 1), "/w/a.db"), Is.Null);
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Tests;

/// <summary>The user's environment breaking the Local warehouse is a coded error naming the path, never a bare DuckDB message or a crash.</summary>
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
        using (var first = Sample.Backend(spec)) await Sample.RunPhase(spec, Phase.Ingestion, first);
        // Broken between builds (a backend holds the file open for one build step).
        using var backend = Sample.Backend(spec);
        var database = DuckDbWarehouse.FileIn(spec.Settings.WarehouseDir, spec.Settings.Client);
        var garbage = new byte[8192];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(database, garbage);

        var query = Assert.ThrowsAsync<CdpException>(() => backend.QueryAsync("retail_src", "SELECT 1", CancellationToken.None))!;
        Assert.That(query.Diagnostic.Code, Is.EqualTo("CDP3024"));
        Assert.That(query.Message, Does.Contain(database));
        var tables = Assert.ThrowsAsync<CdpException>(() => backend.ListTablesAsync("retail_src", CancellationToken.None))!;
        Assert.That(tables.Diagnostic.Code, Is.EqualTo("CDP3024"));

        // The system tables live in the same file, so deploying (the next build's first step) says it too.
        var project = Core.Generation.WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var deploy = Assert.ThrowsAsync<CdpException>(() => backend.DeployAsync(project.ProjectName, Path.Combine(spec.Settings.GeneratedDir, "ingestion"), CancellationToken.None))!;
        Assert.That(deploy.Diagnostic.Code, Is.EqualTo("CDP3024"));
        Assert.That(deploy.Message, Does.Contain(database));

        var report = await ReportWriter.WriteAsync(spec, new Core.State.PipelineState(), Sample.ProjectFile, Path.Combine(Sample.Root, "obj", "cdp"), backend, CancellationToken.None);
        Assert.That(File.Exists(report.Html));
        Assert.That(report.Data.Notes, Has.Some.Contain("CDP3024").Or.Some.Contain(Path.GetRelativePath(Sample.Root, database).Replace('\\', '/')));
        Assert.That(File.ReadAllBytes(database), Is.EqualTo(garbage), "the file is left for the user to inspect");
    }

    [Test]
    public async Task AWarehouseLockedByAnotherProcessIsCdp3014NamingTheFileAndItsHolder()
    {
        var spec = Sample.Spec();
        using (var first = Sample.Backend(spec)) await Sample.RunPhase(spec, Phase.Ingestion, first);
        using var backend = Sample.Backend(spec);
        // Another process holding the POSIX lock DuckDB takes on the file, as a second build or a DuckDB client would.
        var holder = LockHolder.Start(backend.WarehouseFile);
        if (holder is null) Assert.Ignore("python3 is needed to hold a file lock from another process");
        using (holder)
        {
            var e = Assert.ThrowsAsync<CdpException>(() => backend.ListTablesAsync("retail_src", CancellationToken.None))!;
            Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP3014"));
            Assert.That(e.Message, Does.Contain(backend.WarehouseFile).And.Contain($"process {holder.Pid}"));
            Assert.That(e.Diagnostic.Location.File, Is.EqualTo(backend.WarehouseFile));
        }
        Assert.That(await backend.ListTablesAsync("retail_src", CancellationToken.None), Is.Not.Empty, "usable again once the other process lets go");
    }

    [Test]
    public async Task ABackendHoldsTheWarehouseLockWhileItLivesAndReleasesItWhenDisposed()
    {
        var spec = Sample.Spec();
        var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);
        File.WriteAllText(Path.Combine(Sample.Root, "probe"), "");
        using (var probe = LockHolder.Start(Path.Combine(Sample.Root, "probe")))
            if (probe is null) Assert.Ignore("python3 is needed to probe a file lock from another process");

        Assert.That(LockHolder.Start(backend.WarehouseFile), Is.Null, "locked while the backend (one build step) lives");
        backend.Dispose();
        using var after = LockHolder.Start(backend.WarehouseFile);
        Assert.That(after, Is.Not.Null, "another process can lock the file once the step's backend is disposed (MSBuild nodes live on)");
    }

    [TestCase("IO Error: Could not write file \"/data/warehouse/retail-cdp.duckdb.wal\": No space left on device", "CDP3025", "is full")]
    [TestCase("IO Error: Cannot open file \"/data/warehouse/retail-cdp.duckdb\": Permission denied", "CDP3023", "writable")]
    [TestCase("IO Error: Cannot open database \"/data/warehouse/retail-cdp.duckdb\" in read-only mode: database does not exist", "CDP3023", "writable")]
    [TestCase("IO Error: The file \"/data/warehouse/retail-cdp.duckdb\" exists, but it is not a valid DuckDB database file!", "CDP3024", "not a usable DuckDB database")]
    [TestCase("IO Error: Could not set lock on file \"/data/warehouse/retail-cdp.duckdb\": Conflicting lock is held in /usr/bin/dotnet (PID 4242) by user me. See also https://duckdb.org/docs/stable/connect/concurrency", "CDP3014", "locked by process 4242 (/usr/bin/dotnet)")]
    public void DuckDbFailuresOfTheEnvironmentNameTheWarehouseFile(string duckDbMessage, string code, string says)
    {
        var failure = WarehouseFailures.Translate(duckDbMessage, "/data/warehouse/retail-cdp.duckdb");

        Assert.That(failure, Is.Not.Null);
        Assert.That(failure!.Diagnostic.Code, Is.EqualTo(code));
        Assert.That(failure.Message, Does.Contain("/data/warehouse/retail-cdp.duckdb").And.Contain(says));
        Assert.That(failure.Diagnostic.Location.File, Is.EqualTo("/data/warehouse/retail-cdp.duckdb"));
    }

    [Test]
    public void AQuerysOwnErrorIsNotTakenForTheEnvironment() =>
        Assert.That(WarehouseFailures.Translate("Binder Error: Referenced column \"x\" not found in FROM clause!", "/w/a.duckdb"), Is.Null);
}

using CdpSdk.Core.Model;
using CdpSdk.Local.Loading;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Tests;

/// <summary>How the Local warehouse stores its tables: text without DuckDB's dictionary compressions (their
/// analysis was most of the cost of writing a table), and without FSST unless CdpWarehouseStorage is Compact;
/// still an ordinary DuckDB file for any other client; a loaded file in whole row groups (part-filled ones are
/// written again by the checkpoints after).</summary>
public sealed class WarehouseStorageTests
{
    string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "cdp-storage-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [TestCase(WarehouseStorage.Fast, "Uncompressed")]
    [TestCase(WarehouseStorage.Compact, "FSST")]
    public void TextIsStoredAsTheStorageSettingSaysAndReadsBackElsewhere(WarehouseStorage storage, string expected)
    {
        var warehouse = new DuckDbWarehouse(Path.Combine(_dir, storage.ToString()), "test", storage);
        using (warehouse) Write(warehouse);

        using var plain = new DuckDBConnection($"DataSource={warehouse.File};ACCESS_MODE=READ_ONLY");
        plain.Open();
        var methods = Sql.Read(plain, "SELECT DISTINCT compression FROM pragma_storage_info('stg.keys') WHERE segment_type = 'VARCHAR'")
            .Select(r => (string)r[0]!).ToList();
        Assert.That(methods, Is.EqualTo(new[] { expected }), "every text segment; never a dictionary form");
        // The setting belongs to the instance, not the file: a plain client, with DuckDB's defaults, reads it.
        Assert.That(Sql.Read(plain, "SELECT count(*), count(*) FILTER (WHERE key_type = 'phone'), count(DISTINCT email) FROM stg.keys")[0],
            Is.EqualTo(new object[] { 300000L, 150000L, 100000L }));
        Assert.That(Sql.Scalar(plain, "SELECT current_setting('disabled_compression_methods')"), Is.EqualTo(""));
    }

    [Test]
    public void CompactStorageMakesASmallerFile()
    {
        long Size(WarehouseStorage storage)
        {
            using var warehouse = new DuckDbWarehouse(Path.Combine(_dir, storage.ToString()), "test", storage);
            Write(warehouse);
            return new FileInfo(warehouse.File).Length;
        }

        Assert.That(Size(WarehouseStorage.Compact), Is.LessThan(Size(WarehouseStorage.Fast) * 0.7));
    }

    /// <summary>300,000 rows of a two-valued key type and emails, checkpointed so their storage is chosen.</summary>
    static void Write(DuckDbWarehouse warehouse)
    {
        warehouse.CreateDatabase("stg");
        using var connection = warehouse.Open("stg");
        Sql.Execute(connection, "CREATE TABLE stg.keys AS SELECT CASE WHEN i % 2 = 0 THEN 'email' ELSE 'phone' END AS key_type, " +
            "'user' || (i % 100000) || '@example.com' AS email FROM range(300000) r(i)");
        Sql.Execute(connection, "CHECKPOINT");
    }

    [Test]
    public void ALoadedFileIsStoredInWholeRowGroups()
    {
        Directory.CreateDirectory(_dir);
        var path = Path.Combine(_dir, "events.csv");
        const int Rows = 400_000;
        using (var writer = new StreamWriter(path))
        {
            writer.Write("event_id,email,event_time\n");
            for (var i = 0; i < Rows; i++) writer.Write($"E{i:D10},user{i % 5000}@example.com,2024-01-01 00:00:00\n");
        }
        using var warehouse = new DuckDbWarehouse(_dir, "test");
        warehouse.CreateDatabase("src");
        using var connection = warehouse.Open("src");
        var source = RecordSource.Open(path, "data/events.csv", "csv");
        Assert.That(source.TryStage(connection, "_cdp_file_0"), Is.True);
        TableLoader.LoadStaged(connection, "src", "events", "data/events.csv", source.Columns, "_cdp_file_0", filter: null, replace: true);

        var groups = Sql.Read(connection, "SELECT row_group_id, max(count) FROM pragma_storage_info('src.events') GROUP BY 1 ORDER BY 1")
            .Select(r => Convert.ToInt64(r[1])).ToList();
        const long RowGroup = 122_880; // DuckDB's default row group size
        Assert.That(groups, Has.Count.EqualTo((Rows + RowGroup - 1) / RowGroup));
        Assert.That(groups.Take(groups.Count - 1), Is.All.EqualTo(RowGroup), "only the last row group part-filled");
        Assert.That(Sql.Scalar(connection, "SELECT event_id FROM src.events WHERE rowid = 0"), Is.EqualTo("E0000000000"), "in the file's order");
    }
}

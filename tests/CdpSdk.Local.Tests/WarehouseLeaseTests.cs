using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Tasks borrow connections with the Presto layer and give them back; the next task gets one that starts as a new
/// connection would: its own database, Presto's settings, its scheduled time, no temp table of the task before.
/// </summary>
public sealed class WarehouseLeaseTests
{
    string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "cdp-lease-tests", Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void AReusedConnectionCarriesNothingOfTheTaskBefore()
    {
        using var warehouse = new DuckDbWarehouse(_dir, "test");
        DuckDBConnection first;
        using (var lease = warehouse.Borrow("src", scheduledTime: 1_700_000_000))
        {
            first = lease.Connection;
            Sql.Execute(first, "CREATE TEMP TABLE _cdp_file_0 AS SELECT 1 AS x");
            Sql.Execute(first, "SET TimeZone = 'Asia/Tokyo'");
            Sql.Execute(first, "SET integer_division = false");
        }

        using var next = warehouse.Borrow("stg", scheduledTime: 1_800_000_000);

        Assert.That(next.Connection, Is.SameAs(first), "the connection was reused, not opened again");
        var row = Sql.Read(next.Connection, "SELECT current_schema(), current_setting('TimeZone'), CAST(7 / 2 AS BIGINT), TD_SCHEDULED_TIME(), " +
            "(SELECT count(*) FROM duckdb_tables() WHERE temporary)")[0];
        Assert.That(row, Is.EqualTo(new object[] { "stg", "UTC", 3L, 1_800_000_000L, 0L }));
    }

    [Test]
    public void DisposingTheWarehouseClosesTheConnectionsGivenBack()
    {
        var warehouse = new DuckDbWarehouse(_dir, "test");
        using (warehouse)
        using (var lease = warehouse.Borrow("src"))
            Sql.Execute(lease.Connection, "CREATE TABLE src.t AS SELECT 1 AS x");

        // DuckDB refuses a second configuration of a file a process still has open: read-only opens only once it is closed.
        using var reader = new DuckDBConnection($"DataSource={warehouse.File};ACCESS_MODE=READ_ONLY");
        Assert.That(reader.Open, Throws.Nothing);
        Assert.That(Sql.Scalar(reader, "SELECT count(*) FROM src.t"), Is.EqualTo(1L));
    }
}

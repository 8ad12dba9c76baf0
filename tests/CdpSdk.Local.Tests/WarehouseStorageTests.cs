using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Tests;

/// <summary>How the Local warehouse stores its tables: written without DuckDB's dictionary compressions (their
/// analysis was most of the cost of writing a table), and still an ordinary DuckDB file for any other client.</summary>
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

    [Test]
    public void ALowCardinalityTextColumnIsStoredWithoutDictionaryCompressionAndReadsBackElsewhere()
    {
        var warehouse = new DuckDbWarehouse(_dir, "test");
        using (warehouse)
        {
            warehouse.CreateDatabase("stg");
            using var connection = warehouse.Open("stg");
            Sql.Execute(connection, "CREATE TABLE stg.keys AS SELECT CASE WHEN i % 2 = 0 THEN 'email' ELSE 'phone' END AS key_type FROM range(300000) r(i)");
            Sql.Execute(connection, "CHECKPOINT");
            var methods = Sql.Read(connection, "SELECT DISTINCT compression FROM pragma_storage_info('stg.keys') WHERE column_name = 'key_type'")
                .Select(r => (string)r[0]!).ToList();

            Assert.That(methods, Is.Not.Empty);
            Assert.That(methods, Has.None.Contains("Dictionary").IgnoreCase.And.None.Contains("DICT").IgnoreCase);
        }

        // The setting belongs to the instance, not the file: a plain client, with DuckDB's defaults, reads it.
        using var plain = new DuckDBConnection($"DataSource={warehouse.File};ACCESS_MODE=READ_ONLY");
        plain.Open();
        Assert.That(Sql.Read(plain, "SELECT count(*), count(*) FILTER (WHERE key_type = 'phone') FROM stg.keys")[0], Is.EqualTo(new object[] { 300000L, 150000L }));
        Assert.That(Sql.Scalar(plain, "SELECT current_setting('disabled_compression_methods')"), Is.EqualTo(""));
    }
}

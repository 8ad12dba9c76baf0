using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using CdpSdk.Local.Presto;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// The hist-union query (TD's NOT EXISTS form, which the Local engine now runs as written) keeps exactly the
/// latest row per key — incremental wins ties, NULL keys and NULL timestamps are kept, as SQL's comparisons
/// with NULL decide — checked on DuckDB against the rule written out in C#.
/// </summary>
public sealed class HistUnionSqlTests
{
    sealed record Row(string Table, string? Id, string? At, string Payload);

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void TheLocalEngineKeepsTheLatestRowPerKeyAsTdsNotExistsFormSays(bool historical, bool incremental)
    {
        var spec = new HistUnionTableSpec
        {
            Table = "things", Source = "shop", Database = "src", HistTable = historical ? "things_hist" : null, IncTable = incremental ? "things" : null,
            PrimaryKey = "id", IncrementalField = "updated_at",
        };
        using var db = PrestoEngine.Open();
        db.Execute("CREATE SCHEMA src");
        var random = new Random(7);
        var rows = new List<Row>();
        foreach (var table in new[] { "things", "things_hist" })
        {
            db.Execute($"CREATE TABLE src.{table} (id VARCHAR, updated_at VARCHAR, payload VARCHAR)");
            for (var row = 0; row < 400; row++)
            {
                // Few keys and few timestamps, so ties within and across tables are common; some of each NULL.
                var id = random.Next(12) == 0 ? null : $"k{random.Next(40)}";
                var at = random.Next(12) == 0 ? null : $"2024-01-{random.Next(1, 6):00}";
                rows.Add(new Row(table, id, at, $"{table}-{row}"));
                db.Execute($"INSERT INTO src.{table} VALUES ({Literal(id)}, {Literal(at)}, '{table}-{row}')");
            }
        }

        var sql = HistUnionGenerator.UnionSql(SqlDialects.Presto, spec);
        var kept = db.Query(sql, "hist_union.sql").Select(r => Text(r)).Order(StringComparer.Ordinal).ToList();

        Assert.That(sql, Does.Contain("NOT EXISTS"));
        Assert.That(kept, Is.Not.Empty);
        Assert.That(kept, Is.EqualTo(Expected(rows, historical, incremental)));
    }

    /// <summary>The rule: a row is kept unless a row of the same (non-NULL) key is newer in its table, or, for a historical row, as new or newer in the incremental table.</summary>
    static List<string> Expected(List<Row> rows, bool historical, bool incremental)
    {
        static bool Newer(Row other, Row row, bool orEqual) =>
            other.Id is not null && other.Id == row.Id && other.At is not null && row.At is not null &&
            (string.CompareOrdinal(other.At, row.At) is var c && (c > 0 || (orEqual && c == 0)));
        var inc = incremental ? rows.Where(r => r.Table == "things").ToList() : [];
        var hist = historical ? rows.Where(r => r.Table == "things_hist").ToList() : [];
        var kept = inc.Where(i => !inc.Any(n => Newer(n, i, false)))
            .Concat(hist.Where(h => !hist.Any(n => Newer(n, h, false)) && !inc.Any(n => Newer(n, h, true))));
        return kept.Select(r => Text([r.Id, r.At, r.Payload])).Order(StringComparer.Ordinal).ToList();
    }

    static string Literal(string? value) => value is null ? "NULL" : $"'{value}'";

    static string Text(object?[] row) => $"{row[0] ?? "∅"}|{row[1] ?? "∅"}|{row[2]}";
}

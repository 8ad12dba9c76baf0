using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// The Local target's hist-union is written as LEFT JOIN anti-joins (SQLite indexes them) instead of TD's
/// NOT EXISTS (which SQLite runs as a scan per row): both must keep exactly the same rows, ties, NULL keys
/// and NULL timestamps included.
/// </summary>
public sealed class HistUnionSqlTests
{
    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void TheSqliteFormKeepsTheSameRowsAsTdsNotExistsForm(bool historical, bool incremental)
    {
        var spec = new HistUnionTableSpec("things", "shop", "src", historical ? "things_hist" : null, incremental ? "things" : null, "id", "updated_at");
        using var db = new SqliteConnection("Data Source=:memory:");
        db.Open();
        Execute(db, "ATTACH DATABASE ':memory:' AS src");
        var random = new Random(7);
        foreach (var table in new[] { "things", "things_hist" })
        {
            Execute(db, $"CREATE TABLE src.{table} (id TEXT, updated_at TEXT, payload TEXT)");
            for (var row = 0; row < 400; row++)
            {
                // Few keys and few timestamps, so ties within and across tables are common; some of each NULL.
                var id = random.Next(12) == 0 ? "NULL" : $"'k{random.Next(40)}'";
                var at = random.Next(12) == 0 ? "NULL" : $"'2024-01-{random.Next(1, 6):00}'";
                Execute(db, $"INSERT INTO src.{table} VALUES ({id}, {at}, '{table}-{row}')");
            }
        }

        var notExists = Rows(db, Body(HistUnionGenerator.UnionSql(SqlDialects.Presto, spec)));
        var antiJoin = Rows(db, Body(HistUnionGenerator.UnionSql(SqlDialects.Sqlite, spec)));

        Assert.That(HistUnionGenerator.UnionSql(SqlDialects.Sqlite, spec), Does.Contain("LEFT JOIN").And.Not.Contain("NOT EXISTS"));
        Assert.That(notExists, Is.Not.Empty);
        Assert.That(antiJoin, Is.EqualTo(notExists));
    }

    /// <summary>The generated file without its comment lines (Presto's double quotes are SQLite's too).</summary>
    static string Body(string sql) => string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));

    static List<string> Rows(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add($"{(reader.IsDBNull(0) ? "∅" : reader.GetString(0))}|{(reader.IsDBNull(1) ? "∅" : reader.GetString(1))}|{reader.GetString(2)}");
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    static void Execute(SqliteConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

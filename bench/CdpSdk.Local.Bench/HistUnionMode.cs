using System.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Bench;

/// <summary>
/// Hist-union on SQLite: the generated query for a dialect over the first N ingested rows, split into a
/// historical and an incremental table, keyed by email (about three versions per person).
/// </summary>
internal static class HistUnionMode
{
    public static double Run(string warehouse, string dialect, int rows)
    {
        var db = Path.Combine(warehouse, $"histunion-{dialect}-{rows}.db");
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        Execute(connection, $"ATTACH DATABASE '{Path.Combine(warehouse, "bench.db")}' AS bench");
        Execute(connection, "ATTACH DATABASE ':memory:' AS src");
        Execute(connection, $"CREATE TABLE src.people_hist AS SELECT * FROM bench.people WHERE rowid <= {rows} AND rowid % 2 = 0");
        Execute(connection, $"CREATE TABLE src.people AS SELECT * FROM bench.people WHERE rowid <= {rows} AND rowid % 2 = 1");
        var spec = new HistUnionTableSpec
        {
            Table = "people", Source = "bench", Database = "src", HistTable = "people_hist", IncTable = "people", PrimaryKey = "email", IncrementalField = "updated_at",
        };
        var sql = HistUnionGenerator.UnionSql(SqlDialects.Presto, spec);
        var body = string.Join("\n", sql.Split('\n').Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
        var watch = Stopwatch.StartNew();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM ({body})";
        command.CommandTimeout = 0;
        var kept = Convert.ToInt64(command.ExecuteScalar());
        watch.Stop();
        if (kept == 0) throw new InvalidOperationException("hist-union kept no row");
        return watch.Elapsed.TotalSeconds;
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

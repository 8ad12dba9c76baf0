using DuckDB.NET.Data;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// Reads a sample's Local warehouse (warehouse/&lt;client&gt;-cdp.duckdb) after a build, as a user would with a
/// DuckDB client. Only between builds: a running build holds the file's lock.
/// </summary>
internal static class LocalWarehouse
{
    public static string File(string workspace, string client) => Path.Combine(workspace, "warehouse", client + "-cdp.duckdb");

    public static List<object?[]> Query(string file, string sql)
    {
        using var connection = new DuckDBConnection("DataSource=" + file);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public static long Count(string file, string sql) => Convert.ToInt64(Query(file, sql)[0][0]);

    public static int Execute(string file, string sql)
    {
        using var connection = new DuckDBConnection("DataSource=" + file);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }
}

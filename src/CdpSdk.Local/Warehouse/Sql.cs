using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Warehouse;

/// <summary>Small ADO helpers shared by the warehouse, the loader and the unification engine.</summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static string Table(string database, string table) => Quote(database) + "." + Quote(table);

    public static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    public static bool TableExists(SqliteConnection connection, string database, string table, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT count(*) FROM {Quote(database)}.sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return Convert.ToInt64(command.ExecuteScalar()) > 0;
    }

    /// <summary>Column names in table order; empty when the table does not exist.</summary>
    public static List<string> Columns(SqliteConnection connection, string database, string table, SqliteTransaction? tx = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"PRAGMA {Quote(database)}.table_info({Quote(table)})";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read()) columns.Add(reader.GetString(1));
        return columns;
    }
}

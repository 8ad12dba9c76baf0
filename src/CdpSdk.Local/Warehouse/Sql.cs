using DuckDB.NET.Data;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// Small ADO helpers shared by the warehouse, the loader and the unification engine. A command runs in
/// the connection's open transaction, if any (DuckDB has one transaction per connection).
/// </summary>
internal static class Sql
{
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    public static string Table(string database, string table) => Quote(database) + "." + Quote(table);

    public static DuckDBCommand Command(DuckDBConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(new DuckDBParameter(name.TrimStart('$'), value ?? DBNull.Value));
        return command;
    }

    public static object? Scalar(DuckDBConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static int Execute(DuckDBConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>Every row at once: a reader must be closed before the next command on the connection runs.</summary>
    public static List<object?[]> Read(DuckDBConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        return DataRows.ReadAll(reader);
    }

    /// <summary>Rows one by one, for reads too large to hold (the unification's keys).</summary>
    public static IEnumerable<object?[]> Stream(DuckDBConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return DataRows.Current(reader);
    }

    public static bool TableExists(DuckDBConnection connection, string database, string table) =>
        Convert.ToInt64(Scalar(connection,
            "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $s AND table_name = $t",
            ("s", database), ("t", table))) > 0;

    /// <summary>The tables of a database (views excluded), sorted.</summary>
    public static List<string> Tables(DuckDBConnection connection, string database) =>
        Read(connection, "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND table_schema = $s AND table_type = 'BASE TABLE' ORDER BY table_name",
            ("s", database)).Select(r => (string)r[0]!).ToList();

    /// <summary>Column names in table order; empty when the table does not exist.</summary>
    public static List<string> Columns(DuckDBConnection connection, string database, string table) =>
        ColumnTypes(connection, database, table).Select(c => c.Name).ToList();

    /// <summary>Column names and DuckDB types in table order.</summary>
    public static List<(string Name, string Type)> ColumnTypes(DuckDBConnection connection, string database, string table) =>
        Read(connection, "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = $s AND table_name = $t ORDER BY ordinal_position",
            ("s", database), ("t", table)).Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
}

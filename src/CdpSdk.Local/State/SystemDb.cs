using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.State;

/// <summary>
/// _cdp_system.db: what TD's workflow service keeps for us on the TD target — deployed revisions,
/// sessions, attempts, task states and logs — plus incremental-load watermarks.
/// </summary>
internal sealed class SystemDb(string warehouseDir)
{
    const string Schema = """
        CREATE TABLE IF NOT EXISTS projects (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS revisions (project_id INTEGER NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (project_id, name));
        CREATE TABLE IF NOT EXISTS revision_files (project_id INTEGER NOT NULL, revision TEXT NOT NULL, path TEXT NOT NULL, content TEXT NOT NULL, PRIMARY KEY (project_id, revision, path));
        CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL, workflow TEXT NOT NULL, session_time TEXT NOT NULL, UNIQUE (project_id, workflow, session_time));
        CREATE TABLE IF NOT EXISTS attempts (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL, revision TEXT NOT NULL, state TEXT NOT NULL, error TEXT, pid INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT);
        CREATE TABLE IF NOT EXISTS tasks (attempt_id INTEGER NOT NULL, seq INTEGER NOT NULL, full_name TEXT NOT NULL, state TEXT NOT NULL, error TEXT, log TEXT NOT NULL DEFAULT '', started_at TEXT NOT NULL, finished_at TEXT, store TEXT, PRIMARY KEY (attempt_id, full_name));
        CREATE TABLE IF NOT EXISTS watermarks (database_name TEXT NOT NULL, table_name TEXT NOT NULL, column_name TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (database_name, table_name, column_name));
        """;

    /// <summary>The name the system database is attached under on a task's warehouse connection.</summary>
    public const string Alias = "_cdp_system";

    public string File { get; } = Path.Combine(Path.GetFullPath(warehouseDir), SqliteWarehouse.SystemDatabase + ".db");

    public SqliteConnection Open()
    {
        WarehouseFailures.EnsureFolder(Path.GetDirectoryName(File)!);
        var connection = new SqliteConnection(SqliteWarehouse.ConnectionString(File));
        try
        {
            connection.Open();
            Sql.Execute(connection, Schema);
            // Warehouses made before resumable attempts lack the column holding each task's stored parameters.
            if (!Sql.Columns(connection, "main", "tasks").Contains("store"))
                Sql.Execute(connection, "ALTER TABLE tasks ADD COLUMN store TEXT");
            return connection;
        }
        catch (SqliteException e) when (WarehouseFailures.Translate(e, File) is { } failure)
        {
            connection.Dispose();
            throw failure;
        }
    }

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static object? Scalar(SqliteConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    public static void Execute(SqliteConnection connection, string sql, params (string, object?)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }
}

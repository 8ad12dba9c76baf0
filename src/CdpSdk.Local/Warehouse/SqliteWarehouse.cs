using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// The Local warehouse: one SQLite file per TD database, attached together on each connection so
/// "db"."table" works across databases as it does on TD. Connections are short-lived and unpooled,
/// because MSBuild nodes live long and must not keep the files open.
/// </summary>
public sealed class SqliteWarehouse(string directory)
{
    public const string SystemDatabase = "_cdp_system";

    /// <summary>The system database's file: while it is missing, nothing has run against this warehouse.</summary>
    public static string SystemDatabaseFile(string directory) => Path.Combine(Path.GetFullPath(directory), SystemDatabase + ".db");

    public string Directory { get; } = Path.GetFullPath(directory);

    public string FileOf(string database) => Path.Combine(Directory, database + ".db");

    public bool Exists(string database) => File.Exists(FileOf(database));

    /// <summary>The TD databases present, sorted; the system database is not one of them.</summary>
    public IReadOnlyList<string> Databases() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "*.db").Select(f => Path.GetFileNameWithoutExtension(f)!)
                .Where(n => n != SystemDatabase).Order(StringComparer.Ordinal).ToList()
            : [];

    public static string ConnectionString(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();

    /// <summary>
    /// Opens an in-memory main database with <paramref name="database"/> attached first and every other
    /// database after it: SQLite resolves an unqualified name in the least recently attached database,
    /// so unqualified names mean <paramref name="database"/>, as they do for a TD query.
    /// </summary>
    public SqliteConnection Open(string? database, bool create = true) => Open(database, create, attachSystem: false, scheduledTime: null);

    /// <summary>
    /// A connection for a workflow task: the warehouse as <see cref="Open(string?, bool)"/> plus the system
    /// database attached last (as _cdp_system), so the task's effect and its "finished" mark commit together.
    /// </summary>
    /// <param name="scheduledTime">The session time (unix seconds) TD_SCHEDULED_TIME() and TD_INTERVAL see.</param>
    public SqliteConnection OpenForTask(string? database, long? scheduledTime = null) => Open(database, create: true, attachSystem: true, scheduledTime);

    SqliteConnection Open(string? database, bool create, bool attachSystem, long? scheduledTime)
    {
        WarehouseFailures.EnsureFolder(Directory);
        var connection = new SqliteConnection(ConnectionString(":memory:"));
        connection.Open();
        SqlFunctions.Register(connection, scheduledTime);
        var order = Databases().ToList();
        if (database is not null)
        {
            order.Remove(database);
            if (create || Exists(database)) order.Insert(0, database);
        }
        try
        {
            foreach (var db in order) Attach(connection, db, FileOf(db));
            if (attachSystem) Attach(connection, SystemDatabase, SystemDatabaseFile(Directory));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return connection;
    }

    static void Attach(SqliteConnection connection, string name, string file)
    {
        using var attach = connection.CreateCommand();
        attach.CommandText = $"ATTACH DATABASE $file AS \"{name.Replace("\"", "\"\"")}\"";
        attach.Parameters.AddWithValue("$file", file);
        try
        {
            attach.ExecuteNonQuery();
        }
        catch (SqliteException e) when (WarehouseFailures.Translate(e, file) is { } failure)
        {
            throw failure;
        }
    }

    public void CreateDatabase(string database)
    {
        WarehouseFailures.EnsureFolder(Directory);
        try
        {
            using var connection = new SqliteConnection(ConnectionString(FileOf(database)));
            connection.Open();
            using var command = connection.CreateCommand();
            // A zero-length file is a valid empty database, but writing the header makes it visibly one.
            command.CommandText = "PRAGMA user_version = 1";
            command.ExecuteNonQuery();
        }
        catch (SqliteException e) when (WarehouseFailures.Translate(e, FileOf(database)) is { } failure)
        {
            throw failure;
        }
    }

    public IReadOnlyList<TableInfo> ListTables(string database)
    {
        if (!Exists(database)) return [];
        using var connection = Open(database, create: false);
        var names = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT name FROM {Sql.Quote(database)}.sqlite_master WHERE type = 'table' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read()) names.Add(reader.GetString(0));
        }
        return names.Select(name => new TableInfo(database, name,
            Convert.ToInt64(Sql.Scalar(connection, $"SELECT count(*) FROM {Sql.Quote(database)}.{Sql.Quote(name)}")),
            Sql.Columns(connection, database, name))).ToList();
    }

    public QueryResult Query(string database, string sql)
    {
        using var connection = Open(database, create: false);
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            return new QueryResult(columns, DataRows.ReadAll(reader));
        }
        catch (SqliteException e)
        {
            throw WarehouseFailures.Translate(e, FileOf(database)) ?? new CdpException(LocalErrors.SqlFailed, $"Query on '{database}' failed: {e.Message}", null, e);
        }
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Local.Presto;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// The Local warehouse: one DuckDB file per project, one schema per TD database (so "db"."table" resolves as
/// on TD), and the system tables in the <see cref="SystemSchema"/> schema of the same file, so a task's effect
/// and its finished mark commit in one transaction. DuckDB.NET shares one database instance per file among a
/// process's connections and closes the file (releasing its lock) when the last one closes. Opening the instance
/// costs a few hundred milliseconds, so from first use until <see cref="Dispose"/>, which its owner (the backend
/// of one build step) calls, one connection (<see cref="WarehouseInstances"/>) keeps it open: MSBuild nodes live
/// long and must not keep the file, or its lock, after the step.
/// </summary>
public sealed class DuckDbWarehouse : IDisposable
{
    bool _acquired;

    public const string SystemSchema = "_cdp_system";

    /// <summary>Schemas of the file that are not TD databases.</summary>
    static readonly string[] NotDatabases = ["main", SystemSchema, "information_schema", "pg_catalog"];

    /// <param name="directory">CdpWarehouseDir.</param>
    /// <param name="client">CdpClient: the file is &lt;client&gt;-cdp.duckdb.</param>
    /// <param name="storage">CdpWarehouseStorage: how the tables this warehouse writes store text.</param>
    public DuckDbWarehouse(string directory, string client, WarehouseStorage storage = WarehouseStorage.Fast)
    {
        Directory = Path.GetFullPath(directory);
        File = FileIn(Directory, client);
        Storage = storage;
    }

    /// <summary>
    /// The warehouse file of a project. DuckDB names the file's catalog after its stem, and a schema of the same
    /// name makes every "db"."table" ambiguous; TD database names cannot hold '-', so "-cdp" keeps them apart.
    /// </summary>
    public static string FileIn(string directory, string client) => Path.Combine(Path.GetFullPath(directory), client + "-cdp.duckdb");

    public string Directory { get; }

    public string File { get; }

    public WarehouseStorage Storage { get; }

    /// <summary>
    /// A connection with the Presto layer installed and unqualified names resolving in <paramref name="database"/>
    /// (created when missing), as they do for a TD query in that database.
    /// </summary>
    /// <param name="scheduledTime">The session time (unix seconds) TD_SCHEDULED_TIME() and TD_INTERVAL see; now when null.</param>
    public DuckDBConnection Open(string? database = null, long? scheduledTime = null) =>
        Prepared(OpenFile(), database, c => PrestoFunctions.InstallSession(c, scheduledTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    /// <summary>The connection with its session set up and <paramref name="database"/> (created when missing) as its schema; closed if that fails.</summary>
    DuckDBConnection Prepared(DuckDBConnection connection, string? database, Action<DuckDBConnection> session)
    {
        try
        {
            session(connection);
            if (database is not null)
            {
                Sql.Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {Sql.Quote(database)}");
                Use(connection, database);
            }
            return connection;
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw WarehouseFailures.Translate(e, File) ?? new CdpException(LocalErrors.SqlFailed, $"The Local warehouse '{File}' could not be prepared: {FirstLine(e)}", new SourceLocation(File), e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // Connections with the Presto layer that tasks gave back, reused by the next (its TEMP macros cost 20 ms a
    // connection, for about 25 tasks a build), until Dispose.
    readonly Stack<DuckDBConnection> _idle = new();

    /// <summary>
    /// Like <see cref="Open"/>, from the connections earlier tasks gave back when there is one: what a task may have
    /// changed (its database, Presto's settings, the scheduled time, temp tables) is set again or dropped, so
    /// each task still starts as on a new connection. Disposing the lease gives the connection back.
    /// </summary>
    public Lease Borrow(string database, long? scheduledTime = null)
    {
        DuckDBConnection? reused;
        lock (_idle) _idle.TryPop(out reused);
        if (reused is null) return new Lease(this, Open(database, scheduledTime));
        return new Lease(this, Prepared(reused, database, c => PrestoFunctions.Renew(c, scheduledTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds())));
    }

    /// <summary>A connection of <see cref="Borrow"/>, given back when disposed.</summary>
    public sealed class Lease(DuckDbWarehouse owner, DuckDBConnection connection) : IDisposable
    {
        public DuckDBConnection Connection => connection;

        public void Dispose() => owner.GiveBack(connection);
    }

    void GiveBack(DuckDBConnection connection)
    {
        try
        {
            // Temp tables a failed task left (a file staged before its load failed) would be seen by the next one.
            foreach (var row in Sql.Read(connection, "SELECT table_name FROM duckdb_tables() WHERE temporary"))
                Sql.Execute(connection, $"DROP TABLE IF EXISTS temp.{Sql.Quote((string)row[0]!)}");
        }
        catch (DuckDBException)
        {
            connection.Dispose();
            return;
        }
        lock (_idle)
        {
            if (_acquired) _idle.Push(connection);
            else connection.Dispose();
        }
    }

    /// <summary>A plain connection to the file, without the Presto layer (the system tables, the loader's DDL).</summary>
    public DuckDBConnection OpenFile()
    {
        WarehouseFailures.EnsureFolder(Directory);
        if (!_acquired)
        {
            WarehouseInstances.Acquire(File, Connect, Storage);
            _acquired = true;
        }
        return Connect();
    }

    /// <summary>Lets go of the instance: once every user's connections are closed, the file and its lock are released.</summary>
    public void Dispose()
    {
        lock (_queryGuard)
        {
            _queries?.Dispose();
            _queries = null;
        }
        lock (_idle)
        {
            while (_idle.TryPop(out var idle)) idle.Dispose();
            if (!_acquired) return;
            // Under the lock: a lease given back from now on closes its connection instead of keeping the file open.
            _acquired = false;
        }
        WarehouseInstances.Release(File);
    }

    DuckDBConnection Connect()
    {
        var connection = new DuckDBConnection("DataSource=" + File);
        try
        {
            connection.Open();
            return connection;
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw WarehouseFailures.Translate(e, File) ?? new CdpException(LocalErrors.WarehouseNotWritable, $"The Local warehouse '{File}' could not be opened: {FirstLine(e)}", new SourceLocation(File), e);
        }
    }

    /// <summary>Makes unqualified names resolve in <paramref name="schema"/> of this file.</summary>
    static void Use(DuckDBConnection connection, string schema) =>
        Sql.Execute(connection, $"USE {Sql.Quote((string)Sql.Scalar(connection, "SELECT current_database()")!)}.{Sql.Quote(schema)}");

    public bool Exists(string database) => Databases().Contains(database, StringComparer.Ordinal);

    /// <summary>The TD databases present, sorted; none while the file does not exist (reading never creates it).</summary>
    public IReadOnlyList<string> Databases()
    {
        if (!System.IO.File.Exists(File)) return [];
        using var connection = OpenFile();
        return Databases(connection);
    }

    static List<string> Databases(DuckDBConnection connection) =>
        Sql.Read(connection, "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = current_database() ORDER BY schema_name")
            .Select(r => (string)r[0]!).Where(s => !NotDatabases.Contains(s, StringComparer.Ordinal)).ToList();

    public void CreateDatabase(string database) => Run(database, c => Sql.Execute(c, $"CREATE SCHEMA IF NOT EXISTS {Sql.Quote(database)}"));

    public void DropDatabase(string database) => Run(database, c => Sql.Execute(c, $"DROP SCHEMA IF EXISTS {Sql.Quote(database)} CASCADE"));

    public IReadOnlyList<TableInfo> ListTables(string database)
    {
        if (!Exists(database)) return [];
        using var connection = OpenFile();
        var names = Sql.Tables(connection, database);
        return names.Select(name => new TableInfo(database, name,
            Convert.ToInt64(Sql.Scalar(connection, $"SELECT count(*) FROM {Sql.Table(database, name)}")),
            Sql.Columns(connection, database, name))).ToList();
    }

    // The connection Query runs on, kept until Dispose: checks and the report run tens of small queries, and
    // installing the Presto layer on a new connection costs more than most of them (20–40 ms).
    DuckDBConnection? _queries;
    readonly Lock _queryGuard = new();

    /// <summary>A Presto query (a check, the report) run through the Presto layer in <paramref name="database"/>.</summary>
    public QueryResult Query(string database, string sql)
    {
        lock (_queryGuard) return QueryOn(_queries ??= Open(), database, sql);
    }

    QueryResult QueryOn(DuckDBConnection connection, string database, string sql)
    {
        try
        {
            // Unqualified names resolve in the database when it exists, as for a TD query there; else in main.
            Use(connection, Databases(connection).Contains(database, StringComparer.Ordinal) ? database : "main");
            using var command = connection.CreateCommand();
            command.CommandText = PrestoRewriter.Rewrite(sql, $"query on {database}");
            using var reader = command.ExecuteReader();
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
            return new QueryResult(columns, DataRows.ReadAll(reader));
        }
        catch (DuckDBException e)
        {
            throw WarehouseFailures.Translate(e, File) ?? new CdpException(PrestoErrors.CodeIn(e.Message) ?? LocalErrors.SqlFailed, $"Query on '{database}' failed: {FirstLine(e)}", null, e);
        }
    }

    void Run(string database, Action<DuckDBConnection> action)
    {
        using var connection = OpenFile();
        try
        {
            action(connection);
        }
        catch (DuckDBException e)
        {
            throw WarehouseFailures.Translate(e, File) ?? new CdpException(LocalErrors.SqlFailed, $"DDL on database '{database}' failed: {FirstLine(e)}", null, e);
        }
    }

    /// <summary>
    /// DuckDB's message without the query excerpt it appends on later lines, but with the line it names
    /// ("LINE 14:"), which LocalTaskErrors records as where the parser stopped (mapped back to the user's file).
    /// </summary>
    public static string FirstLine(Exception e)
    {
        var lines = e.Message.Split('\n');
        var first = lines[0].Trim();
        return lines.Skip(1).Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("LINE ", StringComparison.Ordinal)) is { } at
            ? $"{first} ({at[..(at.IndexOf(':') + 1)]})"
            : first;
    }
}

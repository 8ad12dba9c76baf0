using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.State;

/// <summary>
/// The _cdp_system schema of the warehouse file: what TD's workflow service keeps for us on the TD target —
/// deployed revisions, sessions, attempts, task states and logs — plus incremental-load watermarks. In the
/// same file as the data, so a task's effect and its finished mark commit in one DuckDB transaction.
/// </summary>
internal sealed class SystemDb(DuckDbWarehouse warehouse)
{
    const string S = DuckDbWarehouse.SystemSchema;

    const string Schema = $"""
        CREATE SCHEMA IF NOT EXISTS {S};
        CREATE SEQUENCE IF NOT EXISTS {S}.project_ids;
        CREATE SEQUENCE IF NOT EXISTS {S}.session_ids;
        CREATE SEQUENCE IF NOT EXISTS {S}.attempt_ids;
        CREATE TABLE IF NOT EXISTS {S}.projects (id BIGINT PRIMARY KEY DEFAULT nextval('{S}.project_ids'), name VARCHAR NOT NULL UNIQUE);
        CREATE TABLE IF NOT EXISTS {S}.revisions (project_id BIGINT NOT NULL, name VARCHAR NOT NULL, created_at VARCHAR NOT NULL, PRIMARY KEY (project_id, name));
        CREATE TABLE IF NOT EXISTS {S}.revision_files (project_id BIGINT NOT NULL, revision VARCHAR NOT NULL, path VARCHAR NOT NULL, content VARCHAR NOT NULL, PRIMARY KEY (project_id, revision, path));
        CREATE TABLE IF NOT EXISTS {S}.sessions (id BIGINT PRIMARY KEY DEFAULT nextval('{S}.session_ids'), project_id BIGINT NOT NULL, workflow VARCHAR NOT NULL, session_time VARCHAR NOT NULL, UNIQUE (project_id, workflow, session_time));
        CREATE TABLE IF NOT EXISTS {S}.attempts (id BIGINT PRIMARY KEY DEFAULT nextval('{S}.attempt_ids'), session_id BIGINT NOT NULL, revision VARCHAR NOT NULL, state VARCHAR NOT NULL, error VARCHAR, pid INTEGER NOT NULL, started_at VARCHAR NOT NULL, finished_at VARCHAR);
        CREATE TABLE IF NOT EXISTS {S}.tasks (attempt_id BIGINT NOT NULL, seq BIGINT NOT NULL, full_name VARCHAR NOT NULL, state VARCHAR NOT NULL, error VARCHAR, log VARCHAR NOT NULL DEFAULT '', started_at VARCHAR NOT NULL, finished_at VARCHAR, store VARCHAR, cause VARCHAR, PRIMARY KEY (attempt_id, full_name));
        ALTER TABLE {S}.tasks ADD COLUMN IF NOT EXISTS cause VARCHAR;
        CREATE TABLE IF NOT EXISTS {S}.watermarks (database_name VARCHAR NOT NULL, table_name VARCHAR NOT NULL, column_name VARCHAR NOT NULL, value VARCHAR NOT NULL, updated_at VARCHAR NOT NULL, PRIMARY KEY (database_name, table_name, column_name));
        """;

    /// <summary>The schema the system tables live in, qualifying them on any warehouse connection.</summary>
    public const string Alias = S;

    public DuckDbWarehouse Warehouse => warehouse;

    /// <summary>A connection to the warehouse file with the system tables in place (created on first use).</summary>
    public DuckDBConnection Open()
    {
        var connection = warehouse.OpenFile();
        try
        {
            Sql.Execute(connection, Schema);
            return connection;
        }
        catch (DuckDBException e) when (WarehouseFailures.Translate(e, warehouse.File) is { } failure)
        {
            connection.Dispose();
            throw failure;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>
/// td>: runs a query (file or query:) in a database of the warehouse; create_table replaces a table
/// with the result, insert_into appends it (creating the table, and adding new columns, as TD does).
/// Stores td.last_job.num_records for the tasks after it.
/// </summary>
internal sealed class TdOperator : IOperator
{
    public string Name => "td";

    public void Run(OperatorCall call)
    {
        var query = call.CommandText.Trim().Length > 0
            ? Template.Expand(call.Run.Files.Read(call.Run.Files.Resolve(call.File, call.CommandText.Trim())), e => call.Runner.Lookup(call.Scope, e, call.TaskName), call.Where)
            : call.Required("query", call.Param("query"));
        var database = call.Required("database", call.ParamOrExported("database", "td.database"));
        query = query.TrimEnd().TrimEnd(';');
        var createTable = call.Param("create_table");
        var insertInto = call.Param("insert_into");

        long records;
        using var connection = call.Run.Warehouse.OpenForTask(database, call.SessionUnixTime);
        try
        {
            using var tx = connection.BeginTransaction();
            if (createTable is { Length: > 0 })
            {
                var target = Sql.Table(database, createTable);
                Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
                Sql.Execute(connection, $"CREATE TABLE {target} AS\n{query}\n", tx);
                records = Convert.ToInt64(Sql.Scalar(connection, $"SELECT count(*) FROM {target}", tx));
                call.Info($"{records} rows into {database}.{createTable} (replaced)");
            }
            else if (insertInto is { Length: > 0 })
            {
                records = InsertInto(connection, tx, database, insertInto, query);
                call.Info($"{records} rows appended to {database}.{insertInto}");
            }
            else
            {
                records = RunQuery(call, connection, tx, query);
                call.Info($"{records} rows");
            }
            call.Run.JobCounter++;
            call.Store("td.last_job_id", $"local-{call.Run.JobCounter}");
            call.Store("td.last_job.num_records", records);
            // An insert_into must never be applied twice: its rows and the task's finished mark commit together.
            call.MarkFinished(connection, tx);
            tx.Commit();
        }
        catch (SqliteException e)
        {
            throw Warehouse.WarehouseFailures.Translate(e, call.Run.Warehouse.FileOf(database))
                ?? new CdpException(LocalErrors.SqlFailed, $"SQL of {call.Where} failed on database '{database}': {e.Message}");
        }
    }

    static long InsertInto(SqliteConnection connection, SqliteTransaction tx, string database, string table, string query)
    {
        Sql.Execute(connection, "DROP TABLE IF EXISTS temp._cdp_result", tx);
        Sql.Execute(connection, $"CREATE TEMP TABLE _cdp_result AS\n{query}\n", tx);
        var target = Sql.Table(database, table);
        if (!Sql.TableExists(connection, database, table, tx))
            Sql.Execute(connection, $"CREATE TABLE {target} AS SELECT * FROM temp._cdp_result WHERE 0", tx);
        var existing = Sql.Columns(connection, database, table, tx);
        var columns = Sql.Columns(connection, "temp", "_cdp_result", tx);
        foreach (var added in columns.Where(c => !existing.Contains(c, StringComparer.OrdinalIgnoreCase)))
            Sql.Execute(connection, $"ALTER TABLE {target} ADD COLUMN {Sql.Quote(added)}", tx);
        var list = string.Join(", ", columns.Select(Sql.Quote));
        var inserted = Sql.Execute(connection, $"INSERT INTO {target} ({list}) SELECT {list} FROM temp._cdp_result", tx);
        Sql.Execute(connection, "DROP TABLE temp._cdp_result", tx);
        return inserted;
    }

    /// <summary>A plain query: rows read, or rows changed for DML; store_last_results keeps the first row.</summary>
    static long RunQuery(OperatorCall call, SqliteConnection connection, SqliteTransaction tx, string query)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = query;
        using var reader = command.ExecuteReader();
        long rows = 0;
        var first = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read())
        {
            if (rows++ == 0)
                for (var i = 0; i < reader.FieldCount; i++) first[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }
        if (call.Param("store_last_results") is "true") call.Store("td.last_results", first);
        return reader.FieldCount > 0 ? rows : Math.Max(reader.RecordsAffected, 0);
    }
}

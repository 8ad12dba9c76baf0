using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Presto;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>
/// td>: runs a Presto query (file or query:) in a database of the warehouse, through the Presto layer, so the
/// SQL that runs locally is the SQL TD runs; create_table replaces a table with the result, insert_into appends
/// it (creating the table, and adding new columns, as TD does). Stores td.last_job.num_records for the tasks after it.
/// </summary>
internal sealed class TdOperator : IOperator
{
    public string Name => "td";

    public void Run(OperatorCall call)
    {
        var file = call.CommandText.Trim();
        var query = file.Length > 0
            ? Template.Expand(call.Run.Files.Read(call.Run.Files.Resolve(call.File, file)), e => call.Runner.Lookup(call.Scope, e, call.TaskName), call.Where)
            : call.Required("query", call.Param("query"));
        var database = call.Required("database", call.ParamOrExported("database", "td.database"));
        var sql = PrestoRewriter.Rewrite(query.TrimEnd().TrimEnd(';'), file.Length > 0 ? call.Run.Files.Resolve(call.File, file) : call.Where);
        var createTable = call.Param("create_table");
        var insertInto = call.Param("insert_into");

        long records;
        using var lease = call.Run.Warehouse.Borrow(database, call.SessionUnixTime);
        var connection = lease.Connection;
        try
        {
            using var tx = connection.BeginTransaction();
            if (createTable is { Length: > 0 })
            {
                var target = Sql.Table(database, createTable);
                Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}");
                Sql.Execute(connection, $"CREATE TABLE {target} AS\n{sql}\n");
                records = Convert.ToInt64(Sql.Scalar(connection, $"SELECT count(*) FROM {target}"));
                call.Info($"{records} rows into {database}.{createTable} (replaced)");
            }
            else if (insertInto is { Length: > 0 })
            {
                records = InsertInto(connection, database, insertInto, sql);
                call.Info($"{records} rows appended to {database}.{insertInto}");
            }
            else
            {
                records = RunQuery(call, connection, sql);
                call.Info($"{records} rows");
            }
            call.Run.JobCounter++;
            call.Store("td.last_job_id", $"local-{call.Run.JobCounter}");
            call.Store("td.last_job.num_records", records);
            // An insert_into must never be applied twice: its rows and the task's finished mark commit together.
            call.MarkFinished(connection);
            tx.Commit();
        }
        catch (DuckDBException e)
        {
            var message = MissingTables.Qualify(DuckDbWarehouse.FirstLine(e), sql);
            throw WarehouseFailures.Translate(e, call.Run.Warehouse.File)
                ?? new CdpException(PrestoErrors.CodeIn(message) ?? LocalErrors.SqlFailed, LocalMessages.Current.SqlFailed(call.Where, database, message),
                    // create_table and insert_into run the query after a "CREATE … AS" line of their own.
                    cause: LocalTaskErrors.Native(message, linesBeforeQuery: createTable is { Length: > 0 } || insertInto is { Length: > 0 } ? 1 : 0));
        }
    }

    static long InsertInto(DuckDBConnection connection, string database, string table, string query)
    {
        Sql.Execute(connection, "DROP TABLE IF EXISTS temp._cdp_result");
        Sql.Execute(connection, $"CREATE TEMP TABLE _cdp_result AS\n{query}\n");
        var target = Sql.Table(database, table);
        if (!Sql.TableExists(connection, database, table))
            Sql.Execute(connection, $"CREATE TABLE {target} AS SELECT * FROM temp._cdp_result WHERE false");
        var existing = Sql.Columns(connection, database, table);
        var columns = Sql.Read(connection, "SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = 'temp' AND table_name = '_cdp_result' ORDER BY ordinal_position")
            .Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
        foreach (var (added, type) in columns.Where(c => !existing.Contains(c.Item1, StringComparer.OrdinalIgnoreCase)))
            Sql.Execute(connection, $"ALTER TABLE {target} ADD COLUMN {Sql.Quote(added)} {type}");
        var list = string.Join(", ", columns.Select(c => Sql.Quote(c.Item1)));
        var inserted = Sql.Execute(connection, $"INSERT INTO {target} ({list}) SELECT {list} FROM temp._cdp_result");
        Sql.Execute(connection, "DROP TABLE temp._cdp_result");
        return inserted;
    }

    /// <summary>A plain query: rows read, or rows changed for DML; store_last_results keeps the first row.</summary>
    static long RunQuery(OperatorCall call, DuckDBConnection connection, string query)
    {
        using var command = connection.CreateCommand();
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

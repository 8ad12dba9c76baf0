using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>td_ddl>: create/drop databases (schemas of the warehouse) and create/drop/empty/rename tables.</summary>
internal sealed class TdDdlOperator : IOperator
{
    public string Name => "td_ddl";

    public void Run(OperatorCall call)
    {
        var warehouse = call.Run.Warehouse;
        foreach (var db in List(call, "create_databases"))
        {
            if (!warehouse.Exists(db)) warehouse.CreateDatabase(db);
            call.Info($"database {db} exists");
        }
        foreach (var db in List(call, "drop_databases").Where(warehouse.Exists))
        {
            warehouse.DropDatabase(db);
            call.Info($"dropped database {db}");
        }
        var tableLists = new[] { "create_tables", "drop_tables", "empty_tables", "rename_tables" };
        if (tableLists.All(k => !call.Params.ContainsKey(k))) return;

        var database = call.Required("database", call.ParamOrExported("database", "td.database"));
        using var lease = warehouse.Borrow(database);
        var connection = lease.Connection;
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var t in List(call, "create_tables"))
                // TD creates an empty table with its time column; DuckDB needs at least one column too.
                Sql.Execute(connection, $"CREATE TABLE IF NOT EXISTS {Sql.Table(database, t)} (\"time\" BIGINT)");
            foreach (var t in List(call, "drop_tables"))
                Sql.Execute(connection, $"DROP TABLE IF EXISTS {Sql.Table(database, t)}");
            foreach (var t in List(call, "empty_tables"))
                if (Sql.TableExists(connection, database, t)) Sql.Execute(connection, $"DELETE FROM {Sql.Table(database, t)}");
            if (call.Params.TryGetValue("rename_tables", out var renames) && renames is List<object?> pairs)
                foreach (var pair in pairs.OfType<OrderedDictionary<string, object?>>())
                {
                    var from = Template.Render(pair.GetValueOrDefault("from"));
                    var to = Template.Render(pair.GetValueOrDefault("to"));
                    Sql.Execute(connection, $"DROP TABLE IF EXISTS {Sql.Table(database, to)}");
                    Sql.Execute(connection, $"ALTER TABLE {Sql.Table(database, from)} RENAME TO {Sql.Quote(to)}");
                }
            call.MarkFinished(connection);
            tx.Commit();
        }
        catch (DuckDBException e)
        {
            throw WarehouseFailures.Translate(e, call.Run.Warehouse.File)
                ?? new CdpException(LocalErrors.SqlFailed, $"DDL of {call.Where} failed on database '{database}': {DuckDbWarehouse.FirstLine(e)}");
        }
        call.Info($"DDL applied to {database}");
    }

    static IEnumerable<string> List(OperatorCall call, string name) => call.Params.GetValueOrDefault(name) switch
    {
        List<object?> items => items.Select(Template.Render).Where(s => s.Length > 0),
        string one when one.Length > 0 => [one],
        _ => [],
    };
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>td_ddl>: create/drop databases (files) and create/drop/empty/rename tables.</summary>
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
            File.Delete(warehouse.FileOf(db));
            call.Info($"dropped database {db}");
        }
        var tableLists = new[] { "create_tables", "drop_tables", "empty_tables", "rename_tables" };
        if (tableLists.All(k => !call.Params.ContainsKey(k))) return;

        var database = call.Required("database", call.ParamOrExported("database", "td.database"));
        using var connection = warehouse.OpenForTask(database);
        try
        {
            using var tx = connection.BeginTransaction();
            foreach (var t in List(call, "create_tables"))
                // TD creates an empty table with its time column; SQLite needs at least one column too.
                Sql.Execute(connection, $"CREATE TABLE IF NOT EXISTS {Sql.Table(database, t)} (\"time\" INTEGER)", tx);
            foreach (var t in List(call, "drop_tables"))
                Sql.Execute(connection, $"DROP TABLE IF EXISTS {Sql.Table(database, t)}", tx);
            foreach (var t in List(call, "empty_tables"))
                if (Sql.TableExists(connection, database, t, tx)) Sql.Execute(connection, $"DELETE FROM {Sql.Table(database, t)}", tx);
            if (call.Params.TryGetValue("rename_tables", out var renames) && renames is List<object?> pairs)
                foreach (var pair in pairs.OfType<OrderedDictionary<string, object?>>())
                {
                    var from = Template.Render(pair.GetValueOrDefault("from"));
                    var to = Template.Render(pair.GetValueOrDefault("to"));
                    Sql.Execute(connection, $"DROP TABLE IF EXISTS {Sql.Table(database, to)}", tx);
                    Sql.Execute(connection, $"ALTER TABLE {Sql.Table(database, from)} RENAME TO {Sql.Quote(to)}", tx);
                }
            call.MarkFinished(connection, tx);
            tx.Commit();
        }
        catch (SqliteException e)
        {
            throw Warehouse.WarehouseFailures.Translate(e, call.Run.Warehouse.FileOf(database))
                ?? new CdpException(LocalErrors.SqlFailed, $"DDL of {call.Where} failed on database '{database}': {e.Message}");
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

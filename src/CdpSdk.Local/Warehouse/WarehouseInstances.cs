using CdpSdk.Core.Model;
using CdpSdk.Local.Presto;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// One anchor connection per warehouse file in the process, shared by every <see cref="DuckDbWarehouse"/> of
/// that file and closed when the last of them is disposed. The process-wide state mirrors DuckDB.NET's own:
/// it keeps one database instance per file, and the Presto layer's C# functions live in that instance's
/// catalog with their delegates held by the connection that registered them — so that connection must be the
/// one that lives longest, whichever warehouse object came first.
/// </summary>
internal static class WarehouseInstances
{
    sealed class Anchor(DuckDBConnection connection)
    {
        public DuckDBConnection Connection => connection;
        public int Users;
    }

    static readonly Dictionary<string, Anchor> Anchors = new(StringComparer.Ordinal);
    static readonly Lock Guard = new();

    /// <summary>
    /// Makes sure the file's instance is open with the layer's functions and writes text as <paramref name="storage"/>
    /// says (a setting of the instance, so the last warehouse acquired decides); pair with <see cref="Release"/>.
    /// </summary>
    public static void Acquire(string file, Func<DuckDBConnection> connect, WarehouseStorage storage)
    {
        lock (Guard)
        {
            if (!Anchors.TryGetValue(file, out var anchor))
            {
                var connection = connect();
                try
                {
                    PrestoFunctions.InstallShared(connection);
                    Store(connection, storage);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
                Anchors[file] = anchor = new Anchor(connection);
            }
            else Store(anchor.Connection, storage);
            anchor.Users++;
        }
    }

    /// <summary>
    /// Choosing and applying a text column's compression is most of the time of writing a table: DuckDB tries its
    /// dictionary forms and FSST on every segment. Without the dictionary forms a 512k-row copy took 0.97 s;
    /// without FSST too 0.35 s, the file 2.6 times larger (docs/performance.md). Numbers keep DuckDB's own
    /// compressions either way, and any other DuckDB client reads the tables as usual.
    /// </summary>
    static void Store(DuckDBConnection connection, WarehouseStorage storage) =>
        Sql.Execute(connection, $"SET GLOBAL disabled_compression_methods = '{(storage == WarehouseStorage.Compact ? "dictionary,dict_fsst" : "dictionary,dict_fsst,fsst")}'");

    public static void Release(string file)
    {
        lock (Guard)
        {
            if (!Anchors.TryGetValue(file, out var anchor) || --anchor.Users > 0) return;
            Anchors.Remove(file);
            anchor.Connection.Dispose();
        }
    }
}

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

    /// <summary>Makes sure the file's instance is open with the layer's functions; pair with <see cref="Release"/>.</summary>
    public static void Acquire(string file, Func<DuckDBConnection> connect)
    {
        lock (Guard)
        {
            if (!Anchors.TryGetValue(file, out var anchor))
            {
                var connection = connect();
                try
                {
                    // Choosing a string column's compression (trying DuckDB's dictionary forms on every segment)
                    // was most of the time of writing a table (a 600,000-row copy 0.87 s, 0.58 s without); FSST
                    // still compresses the strings, so the file grew 7% (docs/performance.md). A setting of the
                    // instance, not of the file: any other DuckDB client reads the tables as usual.
                    Sql.Execute(connection, "SET GLOBAL disabled_compression_methods = 'dictionary,dict_fsst'");
                    PrestoFunctions.InstallShared(connection);
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
                Anchors[file] = anchor = new Anchor(connection);
            }
            anchor.Users++;
        }
    }

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

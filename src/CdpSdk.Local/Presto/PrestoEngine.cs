using System.Data.Common;
using CdpSdk.Core.Diagnostics;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Presto;

/// <summary>
/// A DuckDB connection that runs TD's Presto SQL with Presto's meaning: every query goes through
/// <see cref="PrestoRewriter"/> on a connection prepared by <see cref="PrestoFunctions"/>. What the layer
/// refuses, and what DuckDB rejects, is a <see cref="CdpException"/> (CDP3040–CDP3042) naming the file.
/// </summary>
public sealed class PrestoEngine : IDisposable
{
    readonly DuckDBConnection _connection;

    PrestoEngine(DuckDBConnection connection) => _connection = connection;

    /// <param name="dataSource">A DuckDB database file, or ":memory:".</param>
    /// <param name="scheduledTime">TD_SCHEDULED_TIME (the session time, unix seconds); now when not given.</param>
    public static PrestoEngine Open(string dataSource = ":memory:", long? scheduledTime = null)
    {
        var connection = new DuckDBConnection($"DataSource={dataSource}");
        try
        {
            connection.Open();
            PrestoFunctions.Install(connection, scheduledTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return new PrestoEngine(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The DuckDB text the layer runs for a Presto query.</summary>
    public static string Translate(string prestoSql, string file = "query") => PrestoRewriter.Rewrite(prestoSql, file);

    /// <summary>Runs a Presto statement; returns the rows changed (or -1).</summary>
    public int Execute(string prestoSql, string file = "query")
    {
        using var command = Command(prestoSql, file);
        return Run(file, command.ExecuteNonQuery);
    }

    /// <summary>Runs a Presto query and reads its rows as DuckDB.NET gives them (DBNull as null).</summary>
    public List<object?[]> Query(string prestoSql, string file = "query")
    {
        using var command = Command(prestoSql, file);
        return Run(file, () =>
        {
            using var reader = command.ExecuteReader();
            return Warehouse.DataRows.ReadAll(reader);
        });
    }

    /// <summary>Runs DuckDB SQL as written (setup by the engine's own code, not a user's Presto).</summary>
    internal int ExecuteDuckDb(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    }

    DbCommand Command(string prestoSql, string file)
    {
        var command = _connection.CreateCommand();
        command.CommandText = PrestoRewriter.Rewrite(prestoSql, file);
        return command;
    }

    static T Run<T>(string file, Func<T> run)
    {
        try
        {
            return run();
        }
        catch (DuckDBException e)
        {
            var message = e.Message.Split('\n')[0].Trim();
            var code = PrestoErrors.CodeIn(message) ?? PrestoErrors.QueryFailed;
            throw new CdpException(code, $"{file}: the Local engine (DuckDB) could not run the query: {message}", new SourceLocation(file), e);
        }
    }

    public void Dispose() => _connection.Dispose();
}

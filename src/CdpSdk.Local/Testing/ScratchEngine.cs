using System.Globalization;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Sql;
using CdpSdk.Core.Testing;
using CdpSdk.Local.Presto;
using CdpSdk.Local.Runner;
using CdpSdk.Local.Unification;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Testing;

/// <summary>
/// The scratch databases CdpTest items run in, never the warehouse: a fresh in-memory DuckDB behind the
/// Presto layer for SQL transforms (TD's Presto text with Presto's meaning), and, for unification, the
/// Local unification engine on a throw-away warehouse folder. Each run starts empty and leaves nothing.
/// </summary>
public sealed class ScratchEngine : IScratchEngine
{
    const string OutputTable = "_cdp_test_output";

    public ScratchOutput Query(IReadOnlyList<ScratchTable> inputs, string prestoSql, string file, CancellationToken ct)
    {
        using var engine = PrestoEngine.Open();
        foreach (var schema in inputs.Select(i => i.Database).Distinct())
            engine.ExecuteDuckDb($"CREATE SCHEMA IF NOT EXISTS {Quote(schema)}");
        foreach (var table in inputs)
        {
            ct.ThrowIfCancellationRequested();
            engine.ExecuteDuckDb($"CREATE TABLE {Quote(table.Database)}.{Quote(table.Table)} ({string.Join(", ", table.Columns.Select(c => $"{Quote(c.Name)} {c.Type.ToUpperInvariant()}"))})");
            foreach (var row in table.Rows)
                Run(file, () => engine.ExecuteDuckDb($"INSERT INTO {Quote(table.Database)}.{Quote(table.Table)} VALUES ({string.Join(", ", row.Select((v, i) => Literal(v, table.Columns[i].Type)))})"),
                    $"the given rows of {table.Table} do not fit their column types");
        }
        // As TD's td> create_table runs it: the query's rows become a table, whose columns name the output.
        engine.Execute($"CREATE TABLE {OutputTable} AS\n{prestoSql}\n", file);
        var columns = engine.Query($"SELECT column_name FROM information_schema.columns WHERE table_name = '{OutputTable}' ORDER BY ordinal_position", file)
            .Select(r => (string)r[0]!).ToList();
        var rows = engine.Query($"SELECT * FROM {OutputTable}", file);
        return new ScratchOutput(columns, rows.Select(r => (IReadOnlyList<string?>)r.Select(Text).ToList()).ToList());
    }

    public ScratchOutput Unify(IReadOnlyList<ScratchTable> inputs, string unifyYml, Func<ISqlDialect, string> output, CancellationToken ct)
    {
        // The unification engine works on a Local warehouse, so its scratch is a warehouse file of its own.
        var dir = Path.Combine(Path.GetTempPath(), "cdp-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var warehouse = new DuckDbWarehouse(dir, "scratch");
            foreach (var table in inputs)
            {
                ct.ThrowIfCancellationRequested();
                using var connection = warehouse.Open(table.Database);
                Sql.Execute(connection, $"CREATE TABLE {Sql.Table(table.Database, table.Table)} ({string.Join(", ", table.Columns.Select(c => Sql.Quote(c.Name) + " VARCHAR"))})");
                using var tx = connection.BeginTransaction();
                foreach (var row in table.Rows)
                    Sql.Execute(connection, $"INSERT INTO {Sql.Table(table.Database, table.Table)} VALUES ({string.Join(", ", row.Select((_, i) => "$p" + i))})",
                        [.. row.Select((v, i) => ("$p" + i, (object?)v))]);
                tx.Commit();
            }
            var config = UnifyConfig.Parse(DigdagYaml.Load(new ProjectFiles(new Dictionary<string, string> { ["unify.yml"] = unifyYml }), "unify.yml"));
            new UnificationEngine(warehouse).Run(config, fullRefresh: true, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var result = warehouse.Query(config.Database, output(SqlDialects.Presto));
            return new ScratchOutput(result.Columns, result.Rows.Select(r => (IReadOnlyList<string?>)r.Select(Text).ToList()).ToList());
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { /* a temp folder; the OS cleans it */ }
        }
    }

    static void Run(string file, Action action, string what)
    {
        try
        {
            action();
        }
        catch (DuckDB.NET.Data.DuckDBException e)
        {
            throw new CdpException(PrestoErrors.QueryFailed, $"{file}: {what}: {e.Message.Split('\n')[0].Trim()}", new SourceLocation(file), e);
        }
    }

    static string Quote(string identifier) => "\"" + Identifier.Check(identifier) + "\"";

    static string Literal(string? value, string type) => value is null ? "NULL"
        : type == "varchar" ? "'" + value.Replace("'", "''") + "'"
        : $"CAST('{value.Replace("'", "''")}' AS {type.ToUpperInvariant()})";

    /// <summary>A value as invariant text: booleans true/false, numbers round-trip, times ISO-like as Presto prints them.</summary>
    internal static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

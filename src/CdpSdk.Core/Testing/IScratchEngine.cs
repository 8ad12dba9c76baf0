using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Testing;

/// <summary>A table of a scratch database, filled with a test's given rows (every value as text, cast to its column's type).</summary>
public sealed record ScratchTable(string Database, string Table, IReadOnlyList<TestColumn> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>What a transform gave: its columns and rows, each value as invariant text (null is NULL, booleans true/false).</summary>
public sealed record ScratchOutput(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>
/// A throw-away database on the Local engine, never the warehouse: the inputs are created from the given
/// rows, the transform runs, its output is read, and everything is gone afterwards. Failures are CdpExceptions.
/// </summary>
public interface IScratchEngine
{
    /// <summary>Runs a Presto query (TD's SQL) on the inputs.</summary>
    ScratchOutput Query(IReadOnlyList<ScratchTable> inputs, string prestoSql, string file, CancellationToken ct);

    /// <summary>
    /// Runs the Local ID unification of <paramref name="unifyYml"/> on the inputs, then <paramref name="output"/>
    /// (rendered in the dialect of the engine that holds the unification's tables) to read the tested table.
    /// </summary>
    ScratchOutput Unify(IReadOnlyList<ScratchTable> inputs, string unifyYml, Func<ISqlDialect, string> output, CancellationToken ct);
}

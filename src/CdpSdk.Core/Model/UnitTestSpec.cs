using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Model;

/// <summary>A column of test rows: its name and the SQL type the scratch table gives it (header <c>name:type</c>; varchar by default).</summary>
public sealed record TestColumn(string Name, string Type = "varchar");

/// <summary>One row of test data as text (null is SQL NULL) and the 1-based line it was written on.</summary>
public sealed record TestRow(IReadOnlyList<string?> Values, int Line);

/// <summary>Rows given or expected by a test, with the file (the project file for inline CSV) and line they start at.</summary>
public sealed record TestRows(IReadOnlyList<TestColumn> Columns, IReadOnlyList<TestRow> Rows, SourceLocation At)
{
    public static readonly TestRows Empty = new([], [], SourceLocation.None);

    /// <summary>The line of a column's header cell (the header line), for errors about a column.</summary>
    public SourceLocation ColumnAt(string column) => ColumnLines.TryGetValue(column, out var line) ? At with { Line = line } : At;

    /// <summary>Where each column was named (YAML rows name columns on their own lines).</summary>
    public IReadOnlyDictionary<string, int> ColumnLines { get; init; } = new Dictionary<string, int>();
}

/// <summary>The rows of one input table of a test.</summary>
public sealed record TestInput(string Database, string Table, TestRows Rows);

/// <summary>
/// A CdpTest: a transform of one phase (a staging table, a hist-union table, or a unification's enriched
/// table) run on given rows in a scratch database, whose output must equal the expected rows.
/// </summary>
public sealed record UnitTestSpec
{
    public required string Name { get; init; }

    public required Phase Phase { get; init; }

    /// <summary>The database of the tested output table.</summary>
    public required string Database { get; init; }

    /// <summary>The tested output table, as the phase writes it (web_signups, orders_hist_union, enriched_customers).</summary>
    public required string Table { get; init; }

    /// <summary>The rows of each input table; input tables not listed are empty.</summary>
    public required IReadOnlyList<TestInput> Given { get; init; }

    /// <summary>The expected output: only its columns are compared, rows in any order.</summary>
    public required TestRows Expect { get; init; }

    public required SourceLocation At { get; init; }
}

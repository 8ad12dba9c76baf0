using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Testing;

/// <summary>One expected column whose value differs in the row the transform gave.</summary>
public sealed record ColumnChange(string Column, string? Expected, string? Actual);

/// <summary>
/// A difference between expected and actual rows: missing (expected, not produced), unexpected (produced,
/// not expected), or changed (a row with the expected key whose other columns differ).
/// </summary>
/// <param name="Line">The expected row's line in its file (0 for an unexpected row).</param>
/// <param name="Row">The row as column=value pairs over the expected columns.</param>
public sealed record RowDifference(string Kind, int Line, string Row, IReadOnlyList<ColumnChange> Changes);

/// <summary>The outcome of one CdpTest: Pass, Fail (rows differ) or Error (the transform could not run).</summary>
public sealed record UnitTestResult(
    string Name,
    string Phase,
    string Table,
    CheckStatus Status,
    string Message,
    IReadOnlyList<RowDifference> Differences,
    string Sql,
    DateTimeOffset StartedAt,
    long DurationMs)
{
    public bool Failed => Status is CheckStatus.Fail or CheckStatus.Error;
}

namespace CdpSdk.Core.Validation;

/// <summary>Pass; Warn (a warn rule failed); Fail (an error rule failed, or a warn rule under CdpWarningsAsErrors); Error (the check could not run); Skipped.</summary>
public enum CheckStatus { Pass, Warn, Fail, Error, Skipped }

/// <summary>
/// The outcome of one data-quality check: how many rows (or columns, or percent) broke the rule and a
/// few of them, so the report can show what is wrong without anyone opening the warehouse.
/// </summary>
public sealed record CheckResult(
    string Name,
    string Phase,
    string Rule,
    string Table,
    string Column,
    string Severity,
    CheckStatus Status,
    long Failures,
    string Message,
    IReadOnlyList<string> SampleColumns,
    IReadOnlyList<IReadOnlyList<string?>> SampleRows,
    string Sql,
    DateTimeOffset StartedAt,
    long DurationMs,
    bool BuiltIn = false)
{
    public bool Failed => Status is CheckStatus.Fail or CheckStatus.Error;
}

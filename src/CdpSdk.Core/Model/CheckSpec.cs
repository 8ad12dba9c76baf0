using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Model;

/// <summary>The data-quality rules a CdpCheck may declare, named as dbt names its generic tests.</summary>
public enum CheckRule { NotNull, Unique, AcceptedValues, Relationships, Range, Freshness, Completeness, Schema, RowCountChange, Sql }

/// <summary>Error stops the pipeline before the next phase; Warn is reported (and promoted by CdpWarningsAsErrors).</summary>
public enum CheckSeverity { Error, Warn }

/// <summary>
/// One data-quality rule on a table a phase produced, checked by that phase's Validate step.
/// </summary>
/// <param name="Columns">The checked column; for schema, every required column.</param>
/// <param name="ColumnTypes">schema only: the type family (string, integer, number) a column must have, by column.</param>
/// <param name="Values">accepted_values: the allowed values.</param>
/// <param name="ToDatabase">relationships: the database of the referenced table.</param>
/// <param name="ToTable">relationships: the referenced table.</param>
/// <param name="Field">relationships: the referenced column.</param>
/// <param name="Min">range: the least value; completeness: the least percentage of filled rows.</param>
/// <param name="Max">range: the greatest value; row_count_change: the greatest change in percent.</param>
/// <param name="MaxAge">freshness: how old the newest value may be (none: only plausibility is checked).</param>
public sealed record CheckSpec(
    string Name,
    Phase Phase,
    CheckRule Rule,
    string Database,
    string Table,
    IReadOnlyList<string> Columns,
    IReadOnlyDictionary<string, string> ColumnTypes,
    IReadOnlyList<string> Values,
    string ToDatabase,
    string ToTable,
    string Field,
    double? Min,
    double? Max,
    TimeSpan? MaxAge,
    CheckSeverity Severity,
    SourceLocation At)
{
    public string Column => Columns.Count > 0 ? Columns[0] : "";

    public string RuleName => CheckRules.Name(Rule);

    /// <summary>sql: the user's query returning the bad rows (a dbt singular test), read from <see cref="SqlFile"/>.</summary>
    public string Query { get; init; } = "";

    /// <summary>sql: the query's file, relative to the project.</summary>
    public string SqlFile { get; init; } = "";
}

public static class CheckRules
{
    public static readonly IReadOnlyDictionary<string, CheckRule> ByName = new Dictionary<string, CheckRule>(StringComparer.OrdinalIgnoreCase)
    {
        ["not_null"] = CheckRule.NotNull,
        ["unique"] = CheckRule.Unique,
        ["accepted_values"] = CheckRule.AcceptedValues,
        ["relationships"] = CheckRule.Relationships,
        ["range"] = CheckRule.Range,
        ["freshness"] = CheckRule.Freshness,
        ["completeness"] = CheckRule.Completeness,
        ["schema"] = CheckRule.Schema,
        ["row_count_change"] = CheckRule.RowCountChange,
        ["sql"] = CheckRule.Sql,
    };

    public static string Name(CheckRule rule) => ByName.First(p => p.Value == rule).Key;

    /// <summary>Row counts may drift; a change above this share (percent) against the last successful run is reported.</summary>
    public const double DefaultMaxRowCountChange = 20;
}

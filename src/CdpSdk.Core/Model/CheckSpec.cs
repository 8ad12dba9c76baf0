using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Model;

/// <summary>The data-quality rules a CdpCheck may declare, named as dbt names its generic tests.</summary>
public enum CheckRule { NotNull, Unique, AcceptedValues, Relationships, Range, Freshness, Completeness, Schema, RowCountChange, Sql }

/// <summary>Error stops the pipeline before the next phase; Warn is reported (and promoted by CdpWarningsAsErrors).</summary>
public enum CheckSeverity { Error, Warn }

/// <summary>
/// One data-quality rule on a table a phase produced, checked by that phase's Validate step. Built with an
/// object initialiser: every rule names its table, severity and place; the rest applies to some rules only.
/// </summary>
public sealed record CheckSpec
{
    public required string Name { get; init; }

    public required Phase Phase { get; init; }

    public required CheckRule Rule { get; init; }

    public required string Database { get; init; }

    public required string Table { get; init; }

    /// <summary>The checked column; for schema, every required column.</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>schema only: the type family (string, integer, number) a column must have, by column.</summary>
    public IReadOnlyDictionary<string, string> ColumnTypes { get; init; } = new Dictionary<string, string>();

    /// <summary>accepted_values: the allowed values.</summary>
    public IReadOnlyList<string> Values { get; init; } = [];

    /// <summary>relationships: the database of the referenced table.</summary>
    public string ToDatabase { get; init; } = "";

    /// <summary>relationships: the referenced table.</summary>
    public string ToTable { get; init; } = "";

    /// <summary>relationships: the referenced column.</summary>
    public string Field { get; init; } = "";

    /// <summary>range: the least value; completeness: the least percentage of filled rows.</summary>
    public double? Min { get; init; }

    /// <summary>range: the greatest value; row_count_change: the greatest change in percent.</summary>
    public double? Max { get; init; }

    /// <summary>freshness: how old the newest value may be (none: only plausibility is checked).</summary>
    public TimeSpan? MaxAge { get; init; }

    public required CheckSeverity Severity { get; init; }

    public required SourceLocation At { get; init; }

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

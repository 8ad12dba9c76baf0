using System.Text.RegularExpressions;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// The error texts of SQLite (Local), Presto/Trino and Hive (TD) and of TD's APIs that name a missing
/// column, table or database, or an authentication problem. One place, so each target's wording is
/// recognised the same way.
/// </summary>
public static partial class FailurePatterns
{
    [GeneratedRegex(@"no such column: (?:[\w""]+\.)?""?(?<name>\w+)""?|Column '(?:\w+\.)*(?<name>\w+)' cannot be resolved|Invalid column reference '(?<name>\w+)'", RegexOptions.IgnoreCase)]
    public static partial Regex MissingColumn();

    [GeneratedRegex(@"no such table: (?<name>[\w."" ]+?)(?:$|[\s'])|Table '(?:[\w-]+\.(?=\w+\.\w+'))?(?<name>[\w.]+)' does not exist|Table not found '?(?<name>[\w.]+)'?", RegexOptions.IgnoreCase)]
    public static partial Regex MissingTable();

    [GeneratedRegex(@"unknown database (?<name>\w+)|Schema '(?:[\w-]+\.)?(?<name>\w+)' does not exist|databases? that do(?:es)? not exist on TD: (?<name>\w+)|Database '?(?<name>\w+)'? (?:not found|does not exist)|database (?<name>\w+) is missing", RegexOptions.IgnoreCase)]
    public static partial Regex MissingDatabase();

    [GeneratedRegex(@"\b401\b|unauthori[sz]ed|\b403\b|forbidden|invalid api ?key|authentication failed", RegexOptions.IgnoreCase)]
    public static partial Regex AuthenticationFailure();

    [GeneratedRegex(@"secret[^:]*?['""`]?(?<name>[A-Za-z][\w.\-]*)['""`]? (?:is )?(?:missing|not (?:set|found))|missing secret ['""`]?(?<name>[A-Za-z][\w.\-]*)|secret not found for key: ['""]?(?<name>[A-Za-z][\w\-]*(?:\.[A-Za-z][\w\-]*)*)|secrets? that ha(?:s|ve) no value: (?<name>[A-Za-z][\w\-]*(?:\.[A-Za-z][\w\-]*)*)", RegexOptions.IgnoreCase)]
    public static partial Regex MissingSecret();

    /// <summary>TD's workflow API refusing a pushed project (HTTP 400) because of one of its .dig files.</summary>
    [GeneratedRegex(@"PUT /api/projects\?\S* \(HTTP 400\):.*?(?<name>[\w\-/]+\.dig)\b", RegexOptions.IgnoreCase)]
    public static partial Regex RejectedWorkflow();

    [GeneratedRegex(@"\b(?:408|429|500|502|503|504)\b|timed? ?out|connection (?:refused|reset)|temporarily unavailable", RegexOptions.IgnoreCase)]
    public static partial Regex Transient();

    public static string? Name(Regex pattern, string text)
    {
        var m = pattern.Match(text);
        return m.Success ? m.Groups["name"].Value.Trim().Trim('"') : null;
    }
}

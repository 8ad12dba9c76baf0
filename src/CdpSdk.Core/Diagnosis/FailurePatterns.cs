using System.Text.RegularExpressions;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// The error texts of DuckDB (Local), Presto/Trino and Hive (TD) and of TD's APIs that name a missing
/// column, table or database, or an authentication problem. One place, so each target's wording is
/// recognised the same way.
/// </summary>
public static partial class FailurePatterns
{
    [GeneratedRegex(@"Referenced column ""(?<name>\w+)"" not found|no such column: (?:[\w""]+\.)?""?(?<name>\w+)""?|Column '(?:\w+\.)*(?<name>\w+)' cannot be resolved|Invalid column reference '(?<name>\w+)'", RegexOptions.IgnoreCase)]
    public static partial Regex MissingColumn();

    [GeneratedRegex(@"Table with name ""?(?<name>[\w.]+)""? does not exist|no such table: (?<name>[\w."" ]+?)(?:$|[\s'])|Table '(?:[\w-]+\.(?=\w+\.\w+'))?(?<name>[\w.]+)' does not exist|Table not found '?(?<name>[\w.]+)'?", RegexOptions.IgnoreCase)]
    public static partial Regex MissingTable();

    [GeneratedRegex(@"Schema with name ""?(?<name>\w+)""? does not exist|unknown database (?<name>\w+)|Schema '(?:[\w-]+\.)?(?<name>\w+)' does not exist|databases? that do(?:es)? not exist on TD: (?<name>\w+)|Database '?(?<name>\w+)'? (?:not found|does not exist)|database (?<name>\w+) is missing", RegexOptions.IgnoreCase)]
    public static partial Regex MissingDatabase();

    // A status code counts only next to the words that introduce one ("HTTP 401", "answered 401"): a bare
    // number may be an attempt, session, row id or port (Local's attempt 401 is not an auth failure).
    [GeneratedRegex(@"(?:\bHTTP|\bstatus(?: code)?|\banswered|\breturned)\W{0,3}(?:401|403)\b|unauthori[sz]ed|forbidden|invalid api ?key|authentication failed", RegexOptions.IgnoreCase)]
    public static partial Regex AuthenticationFailure();

    /// <summary>The environment variable an HTTP source takes its Authorization header from (Local's CDP3012 wording).</summary>
    [GeneratedRegex(@"header value in \$(?<name>[A-Za-z_]\w*)")]
    public static partial Regex AuthHeaderVariable();

    [GeneratedRegex(@"secret[^:]*?['""`]?(?<name>[A-Za-z][\w.\-]*)['""`]? (?:is )?(?:missing|not (?:set|found))|missing secret ['""`]?(?<name>[A-Za-z][\w.\-]*)|secret not found for key: ['""]?(?<name>[A-Za-z][\w\-]*(?:\.[A-Za-z][\w\-]*)*)|secrets? that ha(?:s|ve) no value: (?<name>[A-Za-z][\w\-]*(?:\.[A-Za-z][\w\-]*)*)|environment variable (?<name>[A-Za-z_]\w*) (?:\(\w+\) )?is not set", RegexOptions.IgnoreCase)]
    public static partial Regex MissingSecret();

    /// <summary>TD's workflow API refusing a pushed project (HTTP 400) because of one of its .dig files.</summary>
    [GeneratedRegex(@"PUT /api/projects\?\S* \(HTTP 400\):.*?(?<name>[\w\-/]+\.dig)\b", RegexOptions.IgnoreCase)]
    public static partial Regex RejectedWorkflow();

    // As for authentication, a status code counts only where a status is meant, not as any number in the text.
    [GeneratedRegex(@"(?:\bHTTP|\bstatus(?: code)?|\banswered|\breturned)\W{0,3}(?:408|429|500|502|503|504)\b|\b(?:408|429|500|502|503|504) (?:Request Time-?out|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out)|timed? ?out|connection (?:refused|reset)|temporarily unavailable|database is locked|warehouse file '[^']*' is locked by", RegexOptions.IgnoreCase)]
    public static partial Regex Transient();

    /// <summary>A workflow file the Local runner could not read, reported inside a failed workflow's message (CDP4001 … CDP3006: 'x.dig' …).</summary>
    [GeneratedRegex(@"\bCDP3006: (?:'(?<name>[^']+\.dig)')?")]
    public static partial Regex WorkflowSyntax();

    public static string? Name(Regex pattern, string text)
    {
        var m = pattern.Match(text);
        return m.Success ? m.Groups["name"].Value.Trim().Trim('"') : null;
    }
}

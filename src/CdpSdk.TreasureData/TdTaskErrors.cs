using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.TreasureData;

/// <summary>
/// The one place that reads a cause out of text: a TD task's error message (TD's workflow service gives
/// nothing else) and a query job's stderr, in the words of Presto/Trino, Hive, Digdag and TD's APIs.
/// Everything else the TD target raises carries its cause from where it happened.
/// </summary>
public static partial class TdTaskErrors
{
    // Presto/Trino: "Column 't.mail' cannot be resolved"; Hive: "Invalid column reference 'mail'".
    [GeneratedRegex(@"Column '(?:\w+\.)*(?<name>\w+)' cannot be resolved|Invalid column reference '(?<name>\w+)'", RegexOptions.IgnoreCase)]
    private static partial Regex MissingColumn();

    // Presto: "Table 'td-presto.db.t' does not exist" (catalog dropped); Hive: "Table not found 't'".
    [GeneratedRegex(@"Table '(?:[\w-]+\.(?=\w+\.\w+'))?(?<name>[\w.]+)' does not exist|Table not found '?(?<name>[\w.]+)'?", RegexOptions.IgnoreCase)]
    private static partial Regex MissingTable();

    // Presto: "Schema 'db' does not exist"; TD's API: "Database 'db' not found"; Hive: "Database does not exist: db".
    [GeneratedRegex(@"Schema '(?:[\w-]+\.)?(?<name>\w+)' does not exist|Database '?(?<name>\w+)'? (?:not found|does not exist)|Database does not exist: (?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex MissingDatabase();

    // Digdag: "Secret not found for key: 'td.apikey'".
    [GeneratedRegex(@"secret not found for key: ['""]?(?<name>[A-Za-z][\w\-]*(?:\.[A-Za-z][\w\-]*)*)", RegexOptions.IgnoreCase)]
    private static partial Regex MissingSecret();

    // A status counts only next to the words that introduce one: a bare number may be a job or row id.
    [GeneratedRegex(@"(?:\bHTTP|\bstatus(?: code)?|\bresponse code)\W{0,3}(?:401|403)\b|\b401 Unauthorized|\b403 Forbidden|invalid api ?key|authentication failed", RegexOptions.IgnoreCase)]
    private static partial Regex Authentication();

    [GeneratedRegex(@"(?:\bHTTP|\bstatus(?: code)?|\bresponse code)\W{0,3}(?:408|429|500|502|503|504)\b|\b(?:429 Too Many Requests|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)|connection (?:refused|reset)|temporarily unavailable|Encountered too many errors talking to a worker node", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();

    // Presto/Trino: "line 14:3: mismatched input 'FROM'"; Hive: "ParseException line 14:3 cannot recognize input near 'FROM'".
    [GeneratedRegex(@"\bline (?<line>\d+):(?<col>\d+):? (?:mismatched input|extraneous input|no viable alternative|cannot recognize input|missing)(?:[^'\n]*'(?<name>[^']*)')?", RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxError();

    /// <summary>The cause a TD task error or job stderr names; Unknown when none is recognised.</summary>
    public static FailureCause Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return FailureCause.Unknown;
        if (SyntaxError().Match(text) is { Success: true } syntax)
            return FailureCause.Unknown with
            {
                Detail = text,
                Syntax = new SqlSyntaxError(int.Parse(syntax.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(syntax.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture), syntax.Groups["name"].Value is { Length: > 0 } token ? token : null),
            };
        if (Name(MissingSecret(), text) is { } secret) return new(FailureKind.MissingSecret, secret, Detail: text);
        if (Authentication().IsMatch(text)) return new(FailureKind.Authentication, Detail: text);
        if (Name(MissingColumn(), text) is { } column) return new(FailureKind.MissingColumn, column, Detail: text);
        if (Name(MissingTable(), text) is { } table) return new(FailureKind.MissingTable, table, Detail: text);
        if (Name(MissingDatabase(), text) is { } database) return new(FailureKind.MissingDatabase, database, Detail: text);
        if (Transient().IsMatch(text)) return new(FailureKind.Transient, Detail: text);
        return FailureCause.Unknown with { Detail = text };
    }

    // TD's workflow API refusing a pushed project names the .dig it could not read: "Invalid workflow definition x.dig: …".
    [GeneratedRegex(@"(?<name>[\w\-/]+\.dig)\b")]
    private static partial Regex WorkflowFile();

    /// <summary>A 400 answer to a project push: the workflow file TD could not read, when its message names one.</summary>
    public static FailureCause RejectedProject(string serverMessage) =>
        Name(WorkflowFile(), serverMessage) is { } file ? new(FailureKind.WorkflowSyntax, File: file, Detail: serverMessage) : FailureCause.Unknown with { Detail = serverMessage };

    static string? Name(Regex pattern, string text)
    {
        var m = pattern.Match(text);
        return m.Success ? m.Groups["name"].Value.Trim().Trim('"') : null;
    }
}

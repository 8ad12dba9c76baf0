using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local;

/// <summary>
/// The cause of a failed Local task, read from the error its runner stored: the engine's own words
/// (DuckDB's) and the runner's coded errors. One place for the Local target, as TdTaskErrors is for TD.
/// </summary>
public static partial class LocalTaskErrors
{
    [GeneratedRegex(@"Referenced column ""(?<name>\w+)"" not found", RegexOptions.IgnoreCase)]
    private static partial Regex MissingColumn();

    /// <summary>DuckDB's words; the runner qualifies the name from the query when DuckDB leaves the database out (MissingTables).</summary>
    [GeneratedRegex(@"Table with name ""?(?<name>[\w.]+)""? does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"Schema with name ""?(?<name>\w+)""? does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex MissingDatabase();

    /// <summary>CDP3006 (BadWorkflowFile): a workflow file the runner could not read.</summary>
    [GeneratedRegex(@"\bCDP3006: (?:'(?<name>[^']+\.dig)')?")]
    private static partial Regex WorkflowSyntax();

    /// <summary>CDP3012 (HttpSourceFailed): an HTTP source's answer with its status and, for 401/403, the header variable.</summary>
    [GeneratedRegex(@"\bCDP3012: .*? answered (?<status>\d{3})\b(?:.*?header value in \$(?<name>[A-Za-z_]\w*))?")]
    private static partial Regex HttpSourceAnswer();

    /// <summary>CDP3013 (AuthEnvMissing): the variable an HTTP source's header comes from is not set.</summary>
    [GeneratedRegex(@"\bCDP3013: .*?environment variable (?<name>[A-Za-z_]\w*) \(AuthHeaderEnv\) is not set")]
    private static partial Regex AuthVariableMissing();

    /// <summary>The warehouse file locked by another process (CDP3014), or a connection that dropped.</summary>
    [GeneratedRegex(@"\bCDP3014: |connection (?:refused|reset)", RegexOptions.IgnoreCase)]
    private static partial Regex Transient();

    public static FailureCause Parse(string? error)
    {
        if (string.IsNullOrEmpty(error)) return FailureCause.Unknown;
        if (AuthVariableMissing().Match(error) is { Success: true } unset)
            return new(FailureKind.MissingSecret, unset.Groups["name"].Value, EnvironmentVariable: unset.Groups["name"].Value, Detail: error);
        if (HttpSourceAnswer().Match(error) is { Success: true } answer)
        {
            var status = int.Parse(answer.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (status is 401 or 403) return new(FailureKind.Authentication, EnvironmentVariable: answer.Groups["name"].Success ? answer.Groups["name"].Value : null, Detail: error);
            if (status is 408 or 429 or >= 500) return new(FailureKind.Transient, Detail: error);
        }
        if (WorkflowSyntax().Match(error) is { Success: true } syntax)
            return new(FailureKind.WorkflowSyntax, File: syntax.Groups["name"].Success ? syntax.Groups["name"].Value : null, Detail: error);
        if (Name(MissingColumn(), error) is { } column) return new(FailureKind.MissingColumn, column, Detail: error);
        if (Name(MissingTable(), error) is { } table) return new(FailureKind.MissingTable, table, Detail: error);
        if (Name(MissingDatabase(), error) is { } database) return new(FailureKind.MissingDatabase, database, Detail: error);
        if (Transient().IsMatch(error)) return new(FailureKind.Transient, Detail: error);
        return FailureCause.Unknown with { Detail = error };
    }

    static string? Name(Regex pattern, string text)
    {
        var m = pattern.Match(text);
        return m.Success ? m.Groups["name"].Value.Trim().Trim('"') : null;
    }
}

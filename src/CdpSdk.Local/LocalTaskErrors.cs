using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local;

/// <summary>
/// The cause of a failed Local task, decided where the runner catches the failure and stored with the task
/// as a record: the cause its raiser gave, else what DuckDB's own words name. One place for the Local
/// target, as TdTaskErrors is for TD; the runner's own messages are never read.
/// </summary>
public static partial class LocalTaskErrors
{
    // "Referenced column "x" not found in FROM clause!"; a qualified t.x: "Table "t" does not have a column named "x"".
    [GeneratedRegex(@"Referenced column ""(?<name>\w+)"" not found|does not have a column named ""(?<name>\w+)""", RegexOptions.IgnoreCase)]
    private static partial Regex MissingColumn();

    /// <summary>DuckDB's words; the runner qualifies the name from the query when DuckDB leaves the database out (MissingTables).</summary>
    [GeneratedRegex(@"Table with name ""?(?<name>[\w.]+)""? does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex MissingTable();

    [GeneratedRegex(@"Schema with name ""?(?<name>\w+)""? does not exist", RegexOptions.IgnoreCase)]
    private static partial Regex MissingDatabase();

    /// <summary>
    /// The cause of the exception a task failed with, as the runner stores it with the task: the cause its
    /// raiser recorded; else the kind its code always means; else, for the engine's own errors, its words.
    /// </summary>
    public static FailureCause CauseOf(Exception ex) => ex switch
    {
        CdpException { Diagnostic.Cause: { } cause } => cause,
        CdpException c when Core.Diagnosis.FailureKinds.OfCode(c.Diagnostic.Code) is { Kind: not FailureKind.Unknown } byCode => byCode,
        CdpException { InnerException: DuckDB.NET.Data.DuckDBException inner } => Native(Warehouse.DuckDbWarehouse.FirstLine(inner)),
        DuckDB.NET.Data.DuckDBException e => Native(Warehouse.DuckDbWarehouse.FirstLine(e)),
        _ => FailureCause.Unknown with { Detail = ex.Message },
    };

    // "Parser Error: syntax error at or near "FROM" (LINE 14:)"; "… at end of input" names no token.
    [GeneratedRegex(@"\bParser Error:", RegexOptions.IgnoreCase)]
    private static partial Regex ParserError();

    [GeneratedRegex(@"\bLINE (?<line>\d+):")]
    private static partial Regex ParserLine();

    [GeneratedRegex(@"at or near ""(?<name>[^""]+)""")]
    private static partial Regex ParserToken();

    /// <summary>
    /// What DuckDB's own message names: a column, table or schema that is not there, or where its parser
    /// stopped, as a line of the task's query (DuckDB counts the <paramref name="linesBeforeQuery"/> the runner put before it).
    /// </summary>
    public static FailureCause Native(string? message, int linesBeforeQuery = 0)
    {
        if (string.IsNullOrEmpty(message)) return FailureCause.Unknown;
        if (ParserError().IsMatch(message))
            return FailureCause.Unknown with { Detail = message, Syntax = new SqlSyntaxError(Number(ParserLine(), message) - linesBeforeQuery, Token: Name(ParserToken(), message)) };
        if (Name(MissingColumn(), message) is { } column) return new(FailureKind.MissingColumn, column, Detail: message);
        if (Name(MissingTable(), message) is { } table) return new(FailureKind.MissingTable, table, Detail: message);
        if (Name(MissingDatabase(), message) is { } database) return new(FailureKind.MissingDatabase, database, Detail: message);
        return FailureCause.Unknown with { Detail = message };
    }

    static int? Number(Regex pattern, string text) =>
        pattern.Match(text) is { Success: true } m ? int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    static string? Name(Regex pattern, string text)
    {
        var m = pattern.Match(text);
        return m.Success ? m.Groups["name"].Value.Trim().Trim('"') : null;
    }
}

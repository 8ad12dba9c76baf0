using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// A custom check's query file (CdpCheck Sql="checks/x.sql"): exactly one SELECT (or WITH … SELECT) that
/// returns the rows breaking the rule, as a dbt singular test does. The runner wraps it in
/// <c>SELECT COUNT(*) FROM (…)</c>, so a second statement or a statement that is no query cannot run.
/// </summary>
internal static partial class CheckSqlFile
{
    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'|""(?:[^""]|"""")*""", RegexOptions.Singleline)]
    private static partial Regex CommentOrQuoted();

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|\S")]
    private static partial Regex Token();

    /// <summary>The query (trimmed, without a final ';'), or null after reporting CDP0310–CDP0312 at the file's line.</summary>
    public static string? Read(ReadContext ctx, string checkName, string relative, SourceLocation itemAt)
    {
        var path = Path.GetFullPath(Path.Combine(ctx.Project.ProjectDirectory, relative));
        if (!File.Exists(path))
        {
            ctx.Error("CDP0310", $"Sql '{relative}' of CdpCheck '{checkName}' does not exist (looked for {path}).", itemAt);
            return null;
        }
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        if (Problem(text) is { } problem)
        {
            ctx.Error(problem.Code, $"Sql '{relative}' of CdpCheck '{checkName}' {problem.Message}.", new SourceLocation(path, problem.Line, 1));
            return null;
        }
        return UserTransform.Body(text);
    }

    public sealed record SqlProblem(string Code, string Message, int Line);

    /// <summary>Why the text is not one query returning rows, and the 1-based line to look at; null when it is.</summary>
    public static SqlProblem? Problem(string text)
    {
        // Comments and quoted text are blanked (line breaks kept), so a ';' or a word inside them does not count.
        var code = CommentOrQuoted().Replace(text, m => m.Value[0] is '\'' or '"' ? new string('x', 1) + new string('\n', m.Value.Count(c => c == '\n')) : new string('\n', m.Value.Count(c => c == '\n')) + " ");
        var tokens = Token().Matches(code).Select(m => (Text: m.Value, Line: 1 + code[..m.Index].Count(c => c == '\n'))).ToList();
        if (tokens.Count == 0 || tokens.All(t => t.Text == ";"))
            return new("CDP0312", "holds no query: write one SELECT returning the rows that break the rule", 1);
        var first = tokens.FindIndex(t => t.Text != ";" && t.Text != "(");
        var keyword = first < 0 ? "" : tokens[first].Text;
        if (!keyword.Equals("select", StringComparison.OrdinalIgnoreCase) && !keyword.Equals("with", StringComparison.OrdinalIgnoreCase))
            return new("CDP0312", $"must be a SELECT (or WITH … SELECT) returning the rows that break the rule, not a statement starting with '{keyword}'", tokens[Math.Max(first, 0)].Line);
        if (!tokens.Any(t => t.Text.Equals("select", StringComparison.OrdinalIgnoreCase)))
            return new("CDP0312", "has no SELECT: the check counts the rows its query returns", tokens[first].Line);
        var semicolon = tokens.FindIndex(t => t.Text == ";");
        if (semicolon >= 0 && tokens.Skip(semicolon + 1).FirstOrDefault(t => t.Text != ";") is { Text: not null } second)
            return new("CDP0311", "holds more than one statement: a check is one query (the second starts here)", second.Line);
        return null;
    }
}

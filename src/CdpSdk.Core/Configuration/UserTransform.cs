using System.Text.RegularExpressions;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// A user's own staging SQL (CdpStaging TransformSql="sql/x.sql"): one SELECT that reads the cleaned rows
/// as <c>cleaned</c>. The generator wraps it as <c>WITH cleaned AS (…generated…) &lt;user's SELECT&gt;</c>, which
/// Presto and Hive accept. The file is Presto SQL (TD's dialect): the Local target runs it through its Presto
/// layer on DuckDB, the TreasureData target on Presto (or Hive, for CdpSqlEngine=hive).
/// </summary>
public static partial class UserTransform
{
    /// <summary>The name the user's SELECT reads the cleaned rows from.</summary>
    public const string CleanedRelation = "cleaned";

    [GeneratedRegex(@"^\s*(--[^\n]*\n\s*|/\*.*?\*/\s*)*(select|with)\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StartsWithQuery();

    internal static string Read(ReadContext ctx, GlobalSettings settings, RawItem item)
    {
        var path = item.Get("TransformSql");
        if (path.Length == 0) return "";
        var full = Path.GetFullPath(Path.Combine(settings.ProjectDirectory, path));
        if (!File.Exists(full))
        {
            ctx.Error("CDP0100", $"TransformSql '{path}' of CdpStaging '{item.Identity}' does not exist (looked for {full}).", item.Location);
            return path;
        }
        if (Problem(File.ReadAllText(full)) is { } problem)
            ctx.Error("CDP0101", $"TransformSql '{path}' of CdpStaging '{item.Identity}' {problem}.", new(full, 1, 1));
        return path;
    }

    /// <summary>Why the text cannot be used as the transform, or null.</summary>
    public static string? Problem(string sql)
    {
        var body = Body(sql);
        if (body.Length == 0) return "is empty: write one SELECT that reads FROM cleaned";
        if (!StartsWithQuery().IsMatch(body)) return "must be a single SELECT (or WITH … SELECT) statement";
        var code = CodeOnly(body);
        // A second statement would run outside the generated CREATE TABLE … AS and could do anything.
        if (code.Contains(';')) return "must hold exactly one statement: remove the ';' inside it";
        if (!Regex.IsMatch(code, $@"\b{CleanedRelation}\b", RegexOptions.IgnoreCase)) return $"must read the cleaned rows: SELECT … FROM {CleanedRelation}";
        return null;
    }

    /// <summary>The text without comments and string literals, so a ';' or a word inside them does not count.</summary>
    static string CodeOnly(string sql) => CommentOrString().Replace(sql, m => m.Value.StartsWith('\'') ? "''" : " ");

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    /// <summary>The statement without trailing whitespace and a trailing ';', line endings normalised.</summary>
    public static string Body(string sql) => sql.ReplaceLineEndings("\n").Trim().TrimEnd(';').TrimEnd();
}

namespace CdpSdk.Local.Presto;

internal enum SqlTokenKind { Space, Comment, Word, QuotedName, Text, Number, Symbol }

/// <summary>One lexical piece of a query; <see cref="Line"/> is 1-based, for errors that point into the file.</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Value, int Line)
{
    public bool IsTrivia => Kind is SqlTokenKind.Space or SqlTokenKind.Comment;

    public bool IsSymbol(string s) => Kind == SqlTokenKind.Symbol && Value == s;

    /// <summary>Splits Presto SQL into tokens; every character lands in exactly one token, so joining them gives the text back.</summary>
    public static List<SqlToken> Split(string sql)
    {
        var tokens = new List<SqlToken>();
        var line = 1;
        var i = 0;
        while (i < sql.Length)
        {
            var start = i;
            var c = sql[i];
            SqlTokenKind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i])) i++;
                kind = SqlTokenKind.Space;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n') i++;
                kind = SqlTokenKind.Comment;
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
                kind = SqlTokenKind.Comment;
            }
            else if (c is '\'' or '"')
            {
                i = Quoted(sql, i, c);
                kind = c == '\'' ? SqlTokenKind.Text : SqlTokenKind.QuotedName;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && char.IsAsciiDigit(At(sql, i + 1))))
            {
                while (i < sql.Length && (char.IsAsciiLetterOrDigit(sql[i]) || sql[i] == '.' ||
                       ((sql[i] is '+' or '-') && sql[i - 1] is 'e' or 'E'))) i++;
                kind = SqlTokenKind.Number;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$')) i++;
                kind = SqlTokenKind.Word;
            }
            else
            {
                i += i + 1 < sql.Length && TwoCharSymbols.Contains(sql.Substring(i, 2)) ? 2 : 1;
                kind = SqlTokenKind.Symbol;
            }
            var value = sql[start..i];
            tokens.Add(new SqlToken(kind, value, line));
            line += value.Count(ch => ch == '\n');
        }
        return tokens;
    }

    static readonly HashSet<string> TwoCharSymbols = ["||", "->", "<=", ">=", "<>", "!=", "::", "=>"];

    static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    static int Quoted(string sql, int i, char quote)
    {
        i++;
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1) == quote) { i += 2; continue; }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /// <summary>The value of a '…' literal, quotes removed and doubled quotes undone.</summary>
    public string TextValue => Value.Length >= 2 ? Value[1..^1].Replace("''", "'") : "";

    public static string Quote(string text) => "'" + text.Replace("'", "''") + "'";
}

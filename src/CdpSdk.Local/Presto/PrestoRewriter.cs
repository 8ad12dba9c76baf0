using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Presto;

/// <summary>
/// Rewrites the Presto calls whose DuckDB namesake means something else. Functions DuckDB lacks are macros
/// under their Presto names (<see cref="PrestoFunctions"/>), so most queries pass through unchanged; a call is
/// touched only when DuckDB has a function of that name with other semantics (renamed to the layer's
/// presto_* macro), when Presto's form needs other syntax (concat, lambdas, literal date formats), or when the
/// layer cannot run it with Presto's meaning (a CDP3040/CDP3041 error at the call's line, never a different answer).
/// Only unqualified calls are touched: <c>x.regexp_replace(…)</c> and quoted names are left as written.
/// </summary>
internal sealed class PrestoRewriter
{
    enum Kind { Rename, Concat, DateFormat, JavaFormat, Refuse }

    sealed record Rule(Kind Kind, string Target = "", int[]? Arities = null, string Why = "");

    static readonly Dictionary<string, Rule> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        // DuckDB's regexp_replace replaces the first match only; Presto's every match, with $n groups.
        ["regexp_replace"] = new(Kind.Rename, "presto_regexp_replace", [2, 3]),
        // DuckDB returns '' when nothing matches, Presto NULL.
        ["regexp_extract"] = new(Kind.Rename, "presto_regexp_extract", [2, 3]),
        // DuckDB's element_at on a map returns a list.
        ["element_at"] = new(Kind.Rename, "presto_element_at", [2]),
        // DuckDB's cardinality takes maps only.
        ["cardinality"] = new(Kind.Rename, "presto_cardinality", [1]),
        // Presto's argument order (unit, value, timestamp); DuckDB's date_add(timestamp, interval).
        ["date_add"] = new(Kind.Rename, "presto_date_add", [3]),
        // Presto counts whole units between the values, DuckDB's date_diff unit boundaries crossed.
        ["date_diff"] = new(Kind.Rename, "presto_date_diff", [3]),
        // Presto keeps a DATE a DATE.
        ["date_trunc"] = new(Kind.Rename, "presto_date_trunc", [2]),
        // Presto returns 0 when absent, DuckDB NULL.
        ["array_position"] = new(Kind.Rename, "presto_array_position", [2]),
        // DuckDB's array_distinct drops NULLs and does not keep the order.
        ["array_distinct"] = new(Kind.Rename, "presto_array_distinct", [1]),
        // Lambdas cannot pass through a DuckDB macro, so the lambda functions are renamed in place.
        ["transform"] = new(Kind.Rename, "list_transform", [2]),
        ["filter"] = new(Kind.Rename, "list_filter", [2]),
        ["sequence"] = new(Kind.Rename, "generate_series", [2, 3]),
        // DuckDB's concat skips NULLs; Presto's is NULL when any argument is.
        ["concat"] = new(Kind.Concat),
        ["date_parse"] = new(Kind.DateFormat, "strptime", [2]),
        ["date_format"] = new(Kind.DateFormat, "strftime", [2]),
        ["TD_TIME_FORMAT"] = new(Kind.JavaFormat, "", [2, 3]),
        ["format_datetime"] = new(Kind.JavaFormat, "", [2]),
        ["from_unixtime"] = new(Kind.Rename, "from_unixtime", [1], "from_unixtime with a time zone or hours/minutes returns a timestamp with time zone, which the Local engine does not model yet"),
        ["split"] = new(Kind.Rename, "split", [2], "split with a limit"),
        ["strpos"] = new(Kind.Rename, "strpos", [2], "strpos with an instance"),
        ["array_sort"] = new(Kind.Rename, "array_sort", [1], "array_sort with a comparator"),
        ["reduce"] = new(Kind.Refuse, Why: "reduce (lambdas with a state and an output function)"),
        ["zip_with"] = new(Kind.Refuse, Why: "zip_with"),
        ["map_filter"] = new(Kind.Refuse, Why: "map_filter"),
        ["transform_keys"] = new(Kind.Refuse, Why: "transform_keys"),
        ["transform_values"] = new(Kind.Refuse, Why: "transform_values"),
        ["any_match"] = new(Kind.Refuse, Why: "any_match (Presto's three-valued result over NULLs)"),
        ["all_match"] = new(Kind.Refuse, Why: "all_match (Presto's three-valued result over NULLs)"),
        ["none_match"] = new(Kind.Refuse, Why: "none_match (Presto's three-valued result over NULLs)"),
        // DuckDB's type names are not Presto's (VARCHAR, BIGINT vs varchar, bigint).
        ["typeof"] = new(Kind.Rename, "presto_typeof", [1]),
        ["format"] = new(Kind.Refuse, Why: "format (Java's Formatter)"),
        ["parse_datetime"] = new(Kind.Refuse, Why: "parse_datetime (Joda-Time patterns)"),
        ["array_union"] = new(Kind.Refuse, Why: "array_union (order and NULLs as Presto keeps them)"),
        ["array_except"] = new(Kind.Refuse, Why: "array_except (order and NULLs as Presto keeps them)"),
    };

    readonly List<SqlToken> _tokens;
    readonly string _file;

    PrestoRewriter(string sql, string file) => (_tokens, _file) = (SqlToken.Split(sql), file);

    /// <summary>The DuckDB text of a Presto query; <paramref name="file"/> names it in errors.</summary>
    public static string Rewrite(string sql, string file) => new PrestoRewriter(sql, file).Range(0, null);

    /// <summary>Rewrites tokens from <paramref name="start"/> to the end or to the index <paramref name="end"/> (exclusive).</summary>
    string Range(int start, int? end)
    {
        var sb = new System.Text.StringBuilder();
        var stop = end ?? _tokens.Count;
        for (var i = start; i < stop; i++)
        {
            var t = _tokens[i];
            if (t.Kind == SqlTokenKind.Word && Rules.TryGetValue(t.Value, out var rule) && IsCall(i, out var open) && !IsQualified(i) &&
                !(t.Value.Equals("filter", StringComparison.OrdinalIgnoreCase) && Previous(i) is { } p && p.IsSymbol(")")))
            {
                var close = Close(open);
                var args = Arguments(open, close);
                sb.Append(Call(t, rule, args));
                i = close;
                continue;
            }
            if (t.Kind == SqlTokenKind.Word && t.Value.Equals("VALUES", StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(t.Value);
                var (items, after) = ValuesItems(i + 1, stop);
                for (var k = 0; k < items.Count; k++)
                {
                    if (k > 0) sb.Append(',');
                    var text = Range(items[k].Start, items[k].End);
                    sb.Append(StartsWithParenthesis(items[k]) ? text : Parenthesize(text));
                }
                i = after - 1;
                continue;
            }
            sb.Append(t.Value);
        }
        return sb.ToString();
    }

    static readonly HashSet<string> AfterValues = new(StringComparer.OrdinalIgnoreCase)
        { "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "OFFSET", "FETCH", "ON", "RETURNING", "WINDOW" };

    /// <summary>
    /// The rows of a VALUES list. Presto reads <c>VALUES 1, 2, 3</c> as three rows, DuckDB as a syntax error,
    /// so a row that is not parenthesized gets parentheses.
    /// </summary>
    (List<(int Start, int End)> Items, int After) ValuesItems(int from, int stop)
    {
        var items = new List<(int, int)>();
        var depth = 0;
        var start = from;
        var i = from;
        for (; i < stop; i++)
        {
            var t = _tokens[i];
            if (t.IsSymbol("(") || t.IsSymbol("[")) depth++;
            else if (t.IsSymbol(")") || t.IsSymbol("]")) { if (depth == 0) break; depth--; }
            else if (depth == 0 && t.IsSymbol(",")) { items.Add((start, i)); start = i + 1; }
            else if (depth == 0 && (t.IsSymbol(";") || (t.Kind == SqlTokenKind.Word && AfterValues.Contains(t.Value)))) break;
        }
        items.Add((start, i));
        return (items, i);
    }

    bool StartsWithParenthesis((int Start, int End) item) =>
        _tokens.Skip(item.Start).Take(item.End - item.Start).FirstOrDefault(t => !t.IsTrivia) is { } first && first.IsSymbol("(");

    static string Parenthesize(string text)
    {
        var body = text.Trim();
        var lead = text[..(text.Length - text.TrimStart().Length)];
        var trail = text[text.TrimEnd().Length..];
        return body.Length == 0 ? text : lead + "(" + body + ")" + trail;
    }

    string Call(SqlToken name, Rule rule, List<(int Start, int End)> args)
    {
        var at = new SourceLocation(_file, name.Line, 0);
        if (rule.Kind == Kind.Refuse)
            throw new CdpException(PrestoErrors.UnsupportedFunction,
                $"{_file}:{name.Line}: {rule.Why} is not supported by the Local engine; rewrite the query without it or run the project on Treasure Data.", at);
        if (rule.Arities is { } arities && !arities.Contains(args.Count))
            throw new CdpException(PrestoErrors.UnsupportedFunction,
                $"{_file}:{name.Line}: {name.Value} with {args.Count} argument(s){(rule.Why.Length > 0 ? $" ({rule.Why})" : "")} is not supported by the Local engine; it takes {string.Join(" or ", arities)}.", at);
        // Arguments keep their own spacing; one ending in a -- comment gets a line break so the comment cannot swallow what follows.
        var texts = args.Select(a => Range(a.Start, a.End)).Select(x => x.Contains("--", StringComparison.Ordinal) ? x + "\n" : x).ToList();
        switch (rule.Kind)
        {
            case Kind.Concat:
                return "(" + string.Join(" || ", texts.Select(x => "(" + x + ")")) + ")";
            case Kind.DateFormat:
                var format = Literal(args[1]) ?? throw new CdpException(PrestoErrors.UnsupportedFormat,
                    $"{_file}:{name.Line}: {name.Value} needs its format as a '…' literal on the Local engine, which translates it to DuckDB's.", at);
                var duck = MySqlDateFormat.ToStrftime(format, $"{_file}:{name.Line}: {name.Value}", at);
                return $"{rule.Target}({texts[0]}, {SqlToken.Quote(duck)})";
            case Kind.JavaFormat:
                if (Literal(args[1]) is { } java && JavaDateFormat.Unsupported(java) is { } letter)
                    throw new CdpException(PrestoErrors.UnsupportedFormat,
                        $"{_file}:{name.Line}: {name.Value}: the pattern letter '{letter}' in '{java}' is not supported by the Local engine (week-based and zone-name fields depend on the JVM's locale); use y, M, d, H, m, s, S, E, a, Z or X.", at);
                return $"{name.Value}({string.Join(",", texts)})";
            default:
                return $"{rule.Target}({string.Join(",", texts)})";
        }
    }

    /// <summary>The value of an argument that is one '…' literal, or null.</summary>
    string? Literal((int Start, int End) arg)
    {
        var tokens = _tokens.Skip(arg.Start).Take(arg.End - arg.Start).Where(t => !t.IsTrivia).ToList();
        return tokens is [{ Kind: SqlTokenKind.Text } only] ? only.TextValue : null;
    }

    bool IsCall(int i, out int open)
    {
        open = i + 1;
        while (open < _tokens.Count && _tokens[open].IsTrivia) open++;
        return open < _tokens.Count && _tokens[open].IsSymbol("(");
    }

    bool IsQualified(int i) => Previous(i) is { } p && p.IsSymbol(".");

    SqlToken? Previous(int i)
    {
        for (var j = i - 1; j >= 0; j--)
            if (!_tokens[j].IsTrivia) return _tokens[j];
        return null;
    }

    int Close(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            if (_tokens[i].IsSymbol("(") || _tokens[i].IsSymbol("[")) depth++;
            else if (_tokens[i].IsSymbol(")") || _tokens[i].IsSymbol("]")) depth--;
            if (depth == 0) return i;
        }
        throw new CdpException(PrestoErrors.QueryFailed, $"{_file}:{_tokens[open].Line}: a '(' is never closed.", new SourceLocation(_file, _tokens[open].Line, 0));
    }

    /// <summary>The token ranges of the arguments between the parentheses at <paramref name="open"/> and <paramref name="close"/>.</summary>
    List<(int Start, int End)> Arguments(int open, int close)
    {
        var args = new List<(int, int)>();
        var depth = 0;
        var start = open + 1;
        for (var i = open + 1; i < close; i++)
        {
            var t = _tokens[i];
            if (t.IsSymbol("(") || t.IsSymbol("[")) depth++;
            else if (t.IsSymbol(")") || t.IsSymbol("]")) depth--;
            else if (depth == 0 && t.IsSymbol(",")) { args.Add((start, i)); start = i + 1; }
        }
        if (_tokens.Skip(start).Take(close - start).Any(t => !t.IsTrivia) || args.Count > 0) args.Add((start, close));
        return args;
    }
}

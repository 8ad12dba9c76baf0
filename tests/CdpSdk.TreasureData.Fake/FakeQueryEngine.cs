using System.Text.RegularExpressions;

namespace CdpSdk.TreasureData.Fake;

/// <summary>
/// Answers the aggregate queries validation sends from the table registry: each select item that is a
/// COUNT(...) and SUM(...) give the table's row count (so an ingestion_log's records_loaded add up to
/// its rows), MAX(status) gives 'success', anything else null. A query
/// whose FROM table does not exist fails like Presto does. Tests may script answers instead.
/// </summary>
public static partial class FakeQueryEngine
{
    [GeneratedRegex(@"^\s*SELECT\s+(?<items>.+?)\s+FROM\s+(?:""?(?<db>[A-Za-z0-9_]+)""?\.)?""?(?<table>[A-Za-z0-9_]+)""?", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Select();

    public static (List<string> Columns, List<object?[]> Rows, string? Error) Run(string database, string sql, Func<string, string, FakeTable?> table)
    {
        var m = Select().Match(sql);
        if (!m.Success) return ([], [], "line 1:1: mismatched input. Expecting: 'SELECT'");
        var db = m.Groups["db"].Success ? m.Groups["db"].Value : database;
        var name = m.Groups["table"].Value;
        if (table(db, name) is not { } t) return ([], [], $"line 1:1: Table 'td-presto.{db}.{name}' does not exist");
        var items = SplitTopLevel(m.Groups["items"].Value);
        var row = items.Select(i => i.StartsWith("COUNT(", StringComparison.OrdinalIgnoreCase) || i.StartsWith("SUM(", StringComparison.OrdinalIgnoreCase) ? (object?)t.Rows
            : i.StartsWith("MAX(", StringComparison.OrdinalIgnoreCase) && i.Contains("status", StringComparison.OrdinalIgnoreCase) ? "success"
            : null).ToArray();
        return (items.Select((_, n) => "_col" + n).ToList(), [row], null);
    }

    static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0) { parts.Add(text[start..i].Trim()); start = i + 1; }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }
}

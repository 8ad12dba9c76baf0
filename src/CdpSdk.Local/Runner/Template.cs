using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner;

/// <summary>
/// Digdag's ${…} substitution for the expressions generated projects use: variable paths such as
/// session_date or td.last_job.num_records, and ${secret:…} (empty on Local, which needs no secrets).
/// </summary>
internal static partial class Template
{
    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex Placeholder();

    public static string Expand(string text, Func<string, (bool Found, object? Value)> lookup, string where, int depth = 0)
    {
        if (!text.Contains("${", StringComparison.Ordinal)) return text;
        return Placeholder().Replace(text, m =>
        {
            var expr = m.Groups[1].Value.Trim();
            if (expr.StartsWith("secret:", StringComparison.Ordinal)) return "";
            var (found, value) = lookup(expr);
            if (!found)
                throw new CdpException(LocalErrors.UnknownVariable, $"${{{expr}}} in {where} is not a known variable (the Local runner knows session_*, attempt_id, task_name, exported and stored parameters).");
            var rendered = Render(value);
            // Exported values may themselves hold ${…}; Digdag evaluates them where they are used.
            return depth < 8 ? Expand(rendered, lookup, where, depth + 1) : rendered;
        });
    }

    public static string Render(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };

    /// <summary>A copy of a parameter tree with every string expanded.</summary>
    public static object? ExpandTree(object? node, Func<string, (bool, object?)> lookup, string where) => node switch
    {
        string s => Expand(s, lookup, where),
        List<object?> list => list.Select(x => ExpandTree(x, lookup, where)).ToList(),
        OrderedDictionary<string, object?> map => Map(map, lookup, where),
        _ => node,
    };

    static OrderedDictionary<string, object?> Map(OrderedDictionary<string, object?> map, Func<string, (bool, object?)> lookup, string where)
    {
        var copy = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in map) copy[k] = ExpandTree(v, lookup, where);
        return copy;
    }
}

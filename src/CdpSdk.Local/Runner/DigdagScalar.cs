using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace CdpSdk.Local.Runner;

/// <summary>
/// What Digdag makes of a plain (unquoted) YAML scalar, so the Local runner reads a workflow or a user's
/// unify.yml as TD does. Digdag's loader (digdag-core io/digdag/core/config/YamlTagResolver.java, on
/// SnakeYAML) keeps YAML 1.1's null and number rules but reads only true/True/false/False as booleans
/// (not yes/no/on/off) and never reads dates or sexagesimal integers (10:00:00 stays a string).
/// Quoted scalars are always strings.
/// </summary>
internal static partial class DigdagScalar
{
    public static object? Resolve(string value)
    {
        if (value is "" or "~" or "null" or "Null" or "NULL") return null;
        if (value is "true" or "True") return true;
        if (value is "false" or "False") return false;
        if (Int().IsMatch(value)) return ParseInt(value);
        if (Float().IsMatch(value)) return ParseFloat(value);
        return value;
    }

    /// <summary>SnakeYAML's int constructor: sign, then 0b binary, 0x hex, 0-led octal or decimal; '_' ignored.</summary>
    static object ParseInt(string text)
    {
        var negative = text.StartsWith('-');
        var digits = text.TrimStart('+', '-').Replace("_", "");
        var (radix, body) = digits switch
        {
            _ when digits.StartsWith("0b") => (2, digits[2..]),
            _ when digits.StartsWith("0x") => (16, digits[2..]),
            _ when digits.Length > 1 && digits[0] == '0' => (8, digits[1..]),
            _ => (10, digits),
        };
        var n = BigInteger.Zero;
        foreach (var c in body) n = n * radix + Convert.ToInt32(c.ToString(), 16);
        if (negative) n = -n;
        return n >= long.MinValue && n <= long.MaxValue ? (long)n : n.ToString(CultureInfo.InvariantCulture);
    }

    static double ParseFloat(string text)
    {
        var t = text.Replace("_", "");
        if (t.EndsWith("inf", StringComparison.OrdinalIgnoreCase)) return t.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
        if (t.EndsWith("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (!t.Contains(':')) return double.Parse(t, CultureInfo.InvariantCulture);
        // Sexagesimal float (1:30.5 = 90.5), which YAML 1.1 and Digdag still read as a number.
        var sign = t.StartsWith('-') ? -1 : 1;
        var value = 0d;
        foreach (var part in t.TrimStart('+', '-').Split(':')) value = value * 60 + double.Parse(part, CultureInfo.InvariantCulture);
        return sign * value;
    }

    [GeneratedRegex(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$")]
    private static partial Regex Int();

    [GeneratedRegex(@"^(?:[-+]?(?:\.[0-9]+|[1-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Float();
}

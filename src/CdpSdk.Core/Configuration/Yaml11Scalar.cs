using System.Globalization;
using System.Text.RegularExpressions;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// What a YAML 1.1 reader (the PyYAML of TD's validator, SnakeYAML's default resolver) makes of a plain scalar:
/// a <c>Yes</c> is a boolean and <c>2020-01-01</c> a date there, so a unify.yml value TD needs as a string must be
/// quoted. The patterns are YAML 1.1's resolver rules as those readers implement them. Digdag's own loader is
/// looser (only true/false are booleans, no dates: the Local runner's DigdagScalar); the validator's reading is
/// the stricter one these checks follow.
/// </summary>
internal static partial class Yaml11Scalar
{
    [GeneratedRegex("^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex BoolPattern();

    [GeneratedRegex("^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$")]
    private static partial Regex TimestampPattern();

    [GeneratedRegex(@"^[-+]?[0-9]+(?:\.0*)?$")]
    private static partial Regex WholeNumberText();

    /// <summary>True when the scalar is YAML's null: empty, <c>~</c> or <c>null</c>, unquoted and untagged.</summary>
    public static bool IsNull(YamlTreeScalar s) => s.Plain && s.Tag.Length == 0 && s.Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>The type a YAML 1.1 reader gives the scalar when it is not a string: "null", "boolean", "number" or "date"; null for a string.</summary>
    public static string? NonStringType(YamlTreeScalar s)
    {
        if (!s.Plain || s.Tag.Length > 0) return s.Tag is "tag:yaml.org,2002:null" ? "null" : null;
        if (IsNull(s)) return "null";
        if (BoolPattern().IsMatch(s.Value)) return "boolean";
        if (IntPattern().IsMatch(s.Value) || FloatPattern().IsMatch(s.Value)) return "number";
        if (TimestampPattern().IsMatch(s.Value)) return "date";
        return null;
    }

    /// <summary>
    /// A whole number as TD's validator reads one: a YAML integer, a number without a fraction (3.0), or a
    /// quoted string holding one ("3"). Booleans are refused (the validator's pydantic would read true as 1;
    /// a boolean where a count belongs is a mistake, not a count).
    /// </summary>
    public static bool TryWholeNumber(YamlTreeScalar s, out long value)
    {
        value = 0;
        var text = s.Value.Trim().Replace("_", "", StringComparison.Ordinal);
        if (s.Plain && s.Tag.Length == 0 && IntPattern().IsMatch(s.Value))
        {
            var sign = text.StartsWith('-') ? -1 : 1;
            var digits = text.TrimStart('-', '+');
            try
            {
                if (digits.Contains(':')) return false; // base 60: valid YAML 1.1, never meant as a count
                value = sign * (digits.StartsWith("0x", StringComparison.Ordinal) ? Convert.ToInt64(digits[2..], 16)
                    : digits.StartsWith("0b", StringComparison.Ordinal) ? Convert.ToInt64(digits[2..], 2)
                    : digits.Length > 1 && digits[0] == '0' ? Convert.ToInt64(digits[1..], 8)
                    : long.Parse(digits, CultureInfo.InvariantCulture));
                return true;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException) { return false; }
        }
        if (s.Plain && s.Tag.Length == 0 && NonStringType(s) is not (null or "number")) return false;
        if (!WholeNumberText().IsMatch(text)) return false;
        return long.TryParse(text.Split('.')[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}

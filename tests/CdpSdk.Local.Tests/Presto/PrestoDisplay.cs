using System.Collections;
using System.Globalization;
using System.Numerics;

namespace CdpSdk.Local.Tests.Presto;

/// <summary>A DuckDB value written the way Presto's CLI and documentation show results, so expected values read as Presto's docs give them.</summary>
static class PrestoDisplay
{
    public static string Of(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "true" : "false",
        string s => s,
        double d => JavaDouble(d),
        float f => JavaDouble(f),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset o => o.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + " UTC",
        IDictionary map => "{" + string.Join(", ", map.Keys.Cast<object>().Select(k => Of(k) + "=" + Of(map[k]))) + "}",
        IEnumerable list => "[" + string.Join(", ", list.Cast<object?>().Select(Of)) + "]",
        BigInteger i => i.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Java's Double.toString: plain between 10^-3 and 10^7 with at least one decimal, otherwise d.dddE±n.</summary>
    static string JavaDouble(double d)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsInfinity(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return "0.0";
        var abs = Math.Abs(d);
        if (abs is >= 1e-3 and < 1e7)
        {
            var plain = d.ToString("R", CultureInfo.InvariantCulture);
            return plain.Contains('.') ? plain : plain + ".0";
        }
        var exponent = (int)Math.Floor(Math.Log10(abs));
        var mantissa = (d / Math.Pow(10, exponent)).ToString("R", CultureInfo.InvariantCulture);
        if (!mantissa.Contains('.')) mantissa += ".0";
        return mantissa + "E" + exponent.ToString(CultureInfo.InvariantCulture);
    }
}

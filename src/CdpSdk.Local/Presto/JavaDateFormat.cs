using System.Globalization;
using System.Text;

namespace CdpSdk.Local.Presto;

/// <summary>
/// Java SimpleDateFormat patterns, as TD_TIME_FORMAT takes them (TD's UDFs run on the JVM): runs of one
/// letter are fields, text in single quotes is literal and '' is a quote. Week-based fields (Y, w, W) and
/// zone names (z) depend on the JVM's locale and zone data, so they are refused rather than guessed.
/// </summary>
internal static class JavaDateFormat
{
    /// <summary>A pattern letter the formatter cannot honour, or null when every field is supported.</summary>
    public static string? Unsupported(string pattern)
    {
        foreach (var (letter, _) in Fields(pattern))
            if (letter is not ('G' or 'y' or 'M' or 'L' or 'd' or 'H' or 'h' or 'K' or 'k' or 'm' or 's' or 'S' or 'E' or 'u' or 'a' or 'D' or 'F' or 'Z' or 'X'))
                return letter.ToString();
        return null;
    }

    public static string Format(DateTimeOffset time, string pattern)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                i++;
                while (i < pattern.Length)
                {
                    if (pattern[i] == '\'')
                    {
                        if (i + 1 < pattern.Length && pattern[i + 1] == '\'') { sb.Append('\''); i += 2; continue; }
                        i++;
                        break;
                    }
                    sb.Append(pattern[i++]);
                }
                continue;
            }
            if (!char.IsAsciiLetter(c)) { sb.Append(c); i++; continue; }
            var n = 1;
            while (i + n < pattern.Length && pattern[i + n] == c) n++;
            sb.Append(Field(time, c, n));
            i += n;
        }
        return sb.ToString();
    }

    static IEnumerable<(char Letter, int Count)> Fields(string pattern)
    {
        var quoted = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\'') { quoted = !quoted; continue; }
            if (!quoted && char.IsAsciiLetter(pattern[i])) yield return (pattern[i], 1);
        }
    }

    static string Pad(long value, int count) => value.ToString(CultureInfo.InvariantCulture).PadLeft(count, '0');

    static string Field(DateTimeOffset t, char letter, int n) => letter switch
    {
        'G' => t.Year > 0 ? "AD" : "BC",
        'y' => n == 2 ? Pad(t.Year % 100, 2) : Pad(t.Year, n),
        'M' or 'L' => n switch
        {
            1 or 2 => Pad(t.Month, n),
            3 => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedMonthName(t.Month),
            _ => CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(t.Month),
        },
        'd' => Pad(t.Day, n),
        'H' => Pad(t.Hour, n),
        'k' => Pad(t.Hour == 0 ? 24 : t.Hour, n),
        'K' => Pad(t.Hour % 12, n),
        'h' => Pad(t.Hour % 12 == 0 ? 12 : t.Hour % 12, n),
        'm' => Pad(t.Minute, n),
        's' => Pad(t.Second, n),
        'S' => Pad(t.Millisecond, n),
        'E' => n <= 3 ? CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(t.DayOfWeek)
            : CultureInfo.InvariantCulture.DateTimeFormat.GetDayName(t.DayOfWeek),
        'u' => Pad(t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek, n),
        'a' => t.Hour < 12 ? "AM" : "PM",
        'D' => Pad(t.DayOfYear, n),
        'F' => Pad((t.Day - 1) / 7 + 1, n),
        'Z' => Offset(t.Offset, ""),
        'X' => t.Offset == TimeSpan.Zero ? "Z" : n switch
        {
            1 => (t.Offset < TimeSpan.Zero ? "-" : "+") + Pad(Math.Abs(t.Offset.Hours), 2),
            2 => Offset(t.Offset, ""),
            _ => Offset(t.Offset, ":"),
        },
        _ => throw new FormatException($"{PrestoErrors.UnsupportedFormat}: the pattern letter '{letter}' is not supported by the Local engine's TD_TIME_FORMAT"),
    };

    static string Offset(TimeSpan offset, string separator) =>
        (offset < TimeSpan.Zero ? "-" : "+") + Pad(Math.Abs(offset.Hours), 2) + separator + Pad(Math.Abs(offset.Minutes), 2);
}

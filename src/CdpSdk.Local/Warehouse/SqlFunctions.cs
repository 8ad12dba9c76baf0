using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// The Presto/TD functions the generated SQL uses that SQLite lacks, so the same query text runs on both.
/// </summary>
internal static class SqlFunctions
{
    static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd", "yyyyMMdd",
    ];

    public static void Register(SqliteConnection connection, long? scheduledTime = null)
    {
        TdTimeFunctions.Register(connection, scheduledTime);
        connection.CreateFunction<string?, long?>("TD_TIME_PARSE", s => Parse(s, "UTC"), isDeterministic: true);
        connection.CreateFunction<string?, string?, long?>("TD_TIME_PARSE", (s, tz) => Parse(s, tz ?? "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, string?, string?>("TD_TIME_FORMAT", (t, f) => Format(t, f, "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, string?, string?, string?>("TD_TIME_FORMAT", (t, f, tz) => Format(t, f, tz ?? "UTC"), isDeterministic: true);
        connection.CreateFunction<string?, string?, string?, string?>("regexp_replace",
            (s, p, r) => s is null || p is null ? null : Regex.Replace(s, p, r ?? ""), isDeterministic: true);
        connection.CreateFunction<string?, string?, bool?>("regexp_like",
            (s, p) => s is null || p is null ? null : Regex.IsMatch(s, p), isDeterministic: true);
    }

    /// <summary>Unix seconds, or NULL when the text is not a time TD would parse; text without an offset is in <paramref name="zone"/>.</summary>
    public static long? Parse(string? text, string zone)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (!DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return null;
        var tz = Zone(zone);
        // Text without an offset is wall-clock time in the given zone, as TD reads it.
        if (tz != TimeZoneInfo.Utc && DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) && wall.Kind == DateTimeKind.Unspecified)
            time = new DateTimeOffset(wall, tz.GetUtcOffset(wall));
        return time.ToUnixTimeSeconds();
    }

    public static string? Format(long? unixTime, string? javaFormat, string zone)
    {
        if (unixTime is null || javaFormat is null) return null;
        var time = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixTime.Value), Zone(zone));
        return time.ToString(DotNetFormat(javaFormat), CultureInfo.InvariantCulture);
    }

    static TimeZoneInfo Zone(string zone) =>
        zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone == "JST" ? "Asia/Tokyo" : zone);

    /// <summary>Java SimpleDateFormat to .NET: the letters differ only for milliseconds, AM/PM and weekday; quoting is the same.</summary>
    static string DotNetFormat(string java)
    {
        var sb = new StringBuilder();
        var quoted = false;
        foreach (var c in java)
        {
            if (c == '\'') quoted = !quoted;
            sb.Append(quoted ? c : c switch { 'S' => 'f', 'a' => 't', 'E' => 'd', 'Z' => 'z', _ => c });
        }
        return sb.ToString();
    }
}

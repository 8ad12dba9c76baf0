using System.Globalization;
using System.Text.RegularExpressions;

namespace CdpSdk.Local.Presto;

/// <summary>
/// TD's time UDFs (TD_TIME_PARSE, TD_TIME_RANGE, TD_TIME_ADD, TD_DATE_TRUNC, TD_INTERVAL) in C#, for the
/// scalar functions <see cref="PrestoFunctions"/> installs on DuckDB and for the loader's incremental
/// cursor. TD_INTERVAL is relative to the scheduled time (the session time of the task running the query).
/// </summary>
internal static partial class TdTimeFunctions
{
    static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd", "yyyyMMdd",
    ];

    /// <summary>TD_TIME_PARSE: unix seconds, or NULL when the text is not a time TD would parse; text without an offset is in <paramref name="zone"/>.</summary>
    public static long? Parse(string? text, string zone)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        text = text.Trim();
        if (!TryParse(text, DateTimeStyles.AssumeUniversal, out var time)) return null;
        var tz = Zone(zone);
        // Text without an offset is wall-clock time in the given zone, as TD reads it.
        if (tz != TimeZoneInfo.Utc && DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall) && wall.Kind == DateTimeKind.Unspecified)
            time = new DateTimeOffset(wall, tz.GetUtcOffset(wall));
        return time.ToUnixTimeSeconds();
    }

    // A column's times share one format: trying the one that matched last first saves trying the others on
    // every row (a million rows of a load's cursor). Any format that matches the whole text reads the same time.
    [ThreadStatic] static int _lastFormat;

    static bool TryParse(string text, DateTimeStyles styles, out DateTimeOffset time)
    {
        if (DateTimeOffset.TryParseExact(text, Formats[_lastFormat], CultureInfo.InvariantCulture, styles, out time)) return true;
        for (var i = 0; i < Formats.Length; i++)
            if (i != _lastFormat && DateTimeOffset.TryParseExact(text, Formats[i], CultureInfo.InvariantCulture, styles, out time))
            {
                _lastFormat = i;
                return true;
            }
        return false;
    }

    static TimeZoneInfo Zone(string zone) =>
        zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone == "JST" ? "Asia/Tokyo" : zone);

    [GeneratedRegex(@"^(-?\d+)([smhdw])$")]
    private static partial Regex Duration();

    /// <summary>TD_TIME_ADD(time, '1d' | '-2h' | '30m' | '10s' | '1w').</summary>
    public static long? Add(long? time, string? duration)
    {
        if (time is null || duration is null || Duration().Match(duration.Trim()) is not { Success: true } m) return null;
        var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return time + n * Seconds(m.Groups[2].Value[0]);
    }

    static long Seconds(char unit) => unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => 604800 };

    /// <summary>The start of the minute/hour/day/week/month/quarter/year holding the time, in the zone.</summary>
    public static long? Trunc(string? unit, long? time, string zone)
    {
        if (unit is null || time is null) return null;
        var tz = zone.Equals("UTC", StringComparison.OrdinalIgnoreCase) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(time.Value), tz).DateTime;
        DateTime start = unit.ToLowerInvariant() switch
        {
            "minute" => new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute, 0),
            "hour" => new DateTime(local.Year, local.Month, local.Day, local.Hour, 0, 0),
            "day" => local.Date,
            "week" => local.Date.AddDays(-(((int)local.DayOfWeek + 6) % 7)),
            "month" => new DateTime(local.Year, local.Month, 1),
            "quarter" => new DateTime(local.Year, (local.Month - 1) / 3 * 3 + 1, 1),
            "year" => new DateTime(local.Year, 1, 1),
            _ => DateTime.MinValue,
        };
        if (start == DateTime.MinValue) return null;
        return new DateTimeOffset(start, tz.GetUtcOffset(start)).ToUnixTimeSeconds();
    }

    /// <summary>
    /// TD_INTERVAL(time, '-1d' | '1h' | '-7d/now'): the range of that length before (negative) or after
    /// the scheduled time's truncated unit; '/now' anchors at the scheduled time itself.
    /// </summary>
    public static bool? Interval(long? time, string? interval, long scheduled, string zone)
    {
        if (time is null || interval is null) return null;
        var parts = interval.Trim().Split('/');
        if (Duration().Match(parts[0]) is not { Success: true } m) return null;
        var n = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var unit = m.Groups[2].Value[0];
        var anchor = parts.Length > 1 && parts[1] == "now" ? scheduled
            : Trunc(unit switch { 's' => "minute", 'm' => "minute", 'h' => "hour", 'd' => "day", _ => "week" }, scheduled, zone) ?? scheduled;
        if (unit == 's') anchor = scheduled;
        var other = anchor + n * Seconds(unit);
        var (from, to) = n < 0 ? (other, anchor) : (anchor, other);
        return time >= from && time < to;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// TD's time UDFs beyond parse/format (TD_TIME_RANGE, TD_SCHEDULED_TIME, TD_TIME_ADD, TD_DATE_TRUNC,
/// TD_INTERVAL) as SQLite functions. The scheduled time is the session time of the task running the
/// query, as on TD; outside a task it is the current time.
/// </summary>
internal static partial class TdTimeFunctions
{
    public static void Register(SqliteConnection connection, long? scheduledTime)
    {
        long Scheduled() => scheduledTime ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        connection.CreateFunction("TD_SCHEDULED_TIME", Scheduled, isDeterministic: scheduledTime is not null);
        connection.CreateFunction<long?, object?, object?, bool?>("TD_TIME_RANGE", (t, s, e) => Range(t, s, e, "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, object?, object?, string?, bool?>("TD_TIME_RANGE", (t, s, e, tz) => Range(t, s, e, tz ?? "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, object?, bool?>("TD_TIME_RANGE", (t, s) => Range(t, s, null, "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, string?, long?>("TD_TIME_ADD", (t, d) => Add(t, d), isDeterministic: true);
        connection.CreateFunction<long?, string?, string?, long?>("TD_TIME_ADD", (t, d, _) => Add(t, d), isDeterministic: true);
        connection.CreateFunction<long?, string?, long?>("TD_DATE_TRUNC", (t, u) => Trunc(u, t, "UTC"), isDeterministic: true);
        connection.CreateFunction<string?, long?, long?>("TD_DATE_TRUNC", (u, t) => Trunc(u, t, "UTC"), isDeterministic: true);
        connection.CreateFunction<string?, long?, string?, long?>("TD_DATE_TRUNC", (u, t, tz) => Trunc(u, t, tz ?? "UTC"), isDeterministic: true);
        connection.CreateFunction<long?, string?, bool?>("TD_INTERVAL", (t, i) => Interval(t, i, Scheduled(), "UTC"), isDeterministic: scheduledTime is not null);
        connection.CreateFunction<long?, string?, string?, bool?>("TD_INTERVAL", (t, i, tz) => Interval(t, i, Scheduled(), tz ?? "UTC"), isDeterministic: scheduledTime is not null);
    }

    /// <summary>start ≤ time &lt; end; a NULL bound is open; bounds are unix seconds or time text in the zone.</summary>
    public static bool? Range(long? time, object? start, object? end, string zone)
    {
        if (time is null) return null;
        var (s, e) = (Bound(start, zone), Bound(end, zone));
        return (s is null || time >= s) && (e is null || time < e);
    }

    static long? Bound(object? value, string zone) => value switch
    {
        null => null,
        long l => l,
        double d => (long)d,
        string text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        string text => SqlFunctions.Parse(text, zone),
        _ => null,
    };

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

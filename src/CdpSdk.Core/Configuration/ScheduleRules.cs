using System.Text.RegularExpressions;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Turns a Cdp*Schedule property into Digdag's <c>schedule:</c> operator form. Accepted: <c>daily</c>,
/// <c>daily 07:30</c>, <c>hourly 15:00</c>, a five-field cron expression (<c>0 7 * * *</c>), or Digdag's own
/// form (<c>daily>: 07:00:00</c>, <c>cron>: 0 7 * * *</c>, <c>weekly>: Sun,09:00:00</c>, <c>monthly>: 1,09:00:00</c>,
/// <c>minutes_interval>: 30</c>). Digdag refuses an invalid schedule at push time, so it is checked here.
/// </summary>
public static partial class ScheduleRules
{
    public static readonly IReadOnlyList<(Phase Phase, string Property)> Properties =
    [
        (Phase.Ingestion, "CdpIngestionSchedule"),
        (Phase.HistUnion, "CdpHistUnionSchedule"),
        (Phase.Staging, "CdpStagingSchedule"),
        (Phase.Unification, "CdpUnificationSchedule"),
    ];

    [GeneratedRegex(@"^(?<op>[a-z_]+)>:\s*(?<value>.+)$")]
    private static partial Regex OperatorForm();

    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")]
    private static partial Regex Time();

    [GeneratedRegex(@"^[0-5]\d:[0-5]\d$")]
    private static partial Regex MinuteSecond();

    [GeneratedRegex(@"^[0-9*/,\-]+$")]
    private static partial Regex CronField();

    static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Digdag's form (<c>op>: value</c>), "" for an empty property, or null when it is not a schedule.</summary>
    public static string? Normalize(string text)
    {
        text = Regex.Replace(text.Trim(), @"\s+", " ");
        if (text.Length == 0) return "";
        var words = text.Split(' ');
        if (words.Length == 5) return words.All(CronField().IsMatch) ? "cron>: " + text : null;
        if (words[0] is "daily" && words.Length <= 2) return Checked("daily", words.Length == 1 ? "00:00:00" : WithSeconds(words[1]));
        if (words[0] is "hourly" && words.Length == 2) return Checked("hourly", words[1]);
        var m = OperatorForm().Match(text);
        return m.Success ? Checked(m.Groups["op"].Value, m.Groups["value"].Value.Trim().Trim('\'', '"')) : null;
    }

    static string WithSeconds(string time) => time.Count(c => c == ':') == 1 ? time + ":00" : time;

    static string? Checked(string op, string value)
    {
        var ok = op switch
        {
            "daily" => Time().IsMatch(value),
            "hourly" => MinuteSecond().IsMatch(value),
            "weekly" => value.Split(',') is [var day, var t] && Days.Contains(day.Trim().ToLowerInvariant()[..Math.Min(3, day.Trim().Length)]) && Time().IsMatch(t.Trim()),
            "monthly" => value.Split(',') is [var d, var t] && int.TryParse(d, out var n) && n is >= 1 and <= 31 && Time().IsMatch(t.Trim()),
            "minutes_interval" => int.TryParse(value, out var minutes) && minutes > 0,
            "cron" => value.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: 5 } f && f.All(CronField().IsMatch),
            _ => false,
        };
        return ok ? $"{op}>: {value}" : null;
    }

    internal static PhaseSchedules Read(ReadContext ctx)
    {
        string One(string property)
        {
            var text = ctx.Project.Property(property);
            var normalized = Normalize(text);
            if (normalized is not null) return normalized;
            ctx.Error("CDP0102", $"{property} '{text}' is not a schedule. Use daily, daily 07:30, hourly 15:00, a cron expression such as '0 7 * * *', or Digdag's form such as 'weekly>: Sun,09:00:00'.",
                ctx.Project.PropertyLocation(property));
            return "";
        }
        return new PhaseSchedules(One("CdpIngestionSchedule"), One("CdpHistUnionSchedule"), One("CdpStagingSchedule"), One("CdpUnificationSchedule"));
    }
}

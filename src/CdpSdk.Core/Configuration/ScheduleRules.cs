using System.Text.RegularExpressions;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Turns a Cdp*Schedule property into Digdag's <c>schedule:</c> operator form. Accepted: <c>daily</c>,
/// <c>daily 07:30</c>, <c>hourly 15:00</c>, a five-field cron expression (<c>0 7 * * *</c>), or Digdag's own
/// form (<c>daily>: 07:00:00</c>, <c>cron>: 0 7 * * *</c>, <c>weekly>: Sun,09:00:00</c>, <c>monthly>: 1,09:00:00</c>,
/// <c>minutes_interval>: 30</c>). Digdag refuses an invalid schedule at push time, so it is checked here with
/// Digdag's own grammar (<see cref="DigdagCron"/> for cron patterns).
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

    // The shorthand "daily 07:30" is ours, so it stays strict: a time of day.
    [GeneratedRegex(@"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$")]
    private static partial Regex TimeOfDay();

    [GeneratedRegex(@"^[0-9]{1,9}$")]
    private static partial Regex Number();

    /// <summary>Digdag's form (<c>op>: value</c>), "" for an empty property, or null when it is not a schedule.</summary>
    public static string? Normalize(string text) => Check(text).Normalized;

    /// <summary>Digdag's form of <paramref name="text"/>, or why Digdag would refuse it (or run it otherwise than it reads).</summary>
    public static (string? Normalized, ScheduleProblem? Problem) Check(string text)
    {
        text = Regex.Replace(text.Trim(), @"\s+", " ");
        if (text.Length == 0) return ("", null);
        var words = text.Split(' ');
        var m = OperatorForm().Match(text);
        if (m.Success) return Checked(m.Groups["op"].Value, m.Groups["value"].Value.Trim().Trim('\'', '"'));
        if (words[0] is "daily" && words.Length <= 2)
            return words.Length == 1 || TimeOfDay().IsMatch(words[1]) ? Checked("daily", words.Length == 1 ? "00:00:00" : WithSeconds(words[1]))
                : (null, new("CDP0102", $"'{words[1]}' is not a time of day (HH:MM or HH:MM:SS, 00:00 to 23:59)"));
        if (words[0] is "hourly" && words.Length == 2) return Checked("hourly", words[1]);
        if (words.Length >= 5 || text.Contains('|')) return Checked("cron", text);
        return (null, new("CDP0102", "it is none of the forms a Digdag schedule: takes"));
    }

    static string WithSeconds(string time) => time.Count(c => c == ':') == 1 ? time + ":00" : time;

    /// <summary>
    /// Each operator as its factory in digdag-standards/src/main/java/io/digdag/standards/scheduler/ reads it:
    /// daily> and hourly> split the value on ':' into 3 (2) integers (DailySchedulerFactory.parseAt, any values: a
    /// time past 23:59:59 is a delay into the next day); weekly> and monthly> split "day,time" at the first ','
    /// and build the cron patterns "0 0 * * day" and "0 0 day * *" (so day is whatever cron4j's field takes, and
    /// monthly> does not trim the time); minutes_interval> builds "*/N * * * *". Signs, which Java's parseInt
    /// takes, are refused here.
    /// </summary>
    static (string?, ScheduleProblem?) Checked(string op, string value)
    {
        ScheduleProblem? Time(string time, int fragments, string format) =>
            time.Split(':') is var f && f.Length == fragments && f.All(Number().IsMatch) ? null
                : new("CDP0102", $"{op}> takes {format} (digits between the colons): '{time}'");
        var problem = op switch
        {
            "daily" => Time(value, 3, "hh:mm:ss"),
            "hourly" => Time(value, 2, "mm:ss"),
            "weekly" => value.Split(',', 2) is [var day, var t]
                ? Time(t.Trim(), 3, "day,hh:mm:ss") ?? Cron("0 0 * * " + day.Trim(), "weekly>'s day")
                : new("CDP0102", $"weekly> takes day,hh:mm:ss (e.g. Sun,09:00:00): '{value}'"),
            "monthly" => value.Split(',', 2) is [var d, var t]
                ? (Number().IsMatch(d) ? Time(t, 3, "day,hh:mm:ss") ?? Cron($"0 0 {d} * *", "monthly>'s day") : new("CDP0102", $"monthly> takes a day number before the comma: '{d}'"))
                : new("CDP0102", $"monthly> takes day,hh:mm:ss (e.g. 1,09:00:00): '{value}'"),
            "minutes_interval" => !Number().IsMatch(value) || int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) == 0
                ? new("CDP0102", $"minutes_interval> takes a whole number of minutes of at least 1: '{value}'")
                : int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > 60
                    ? new("CDP0140", $"minutes_interval>: {value} becomes the cron pattern */{value} * * * *, which Digdag runs once an hour, not every {value} minutes; use cron> with the hours instead")
                    : null,
            "cron" => Cron(value, "cron>"),
            _ => new("CDP0102", $"'{op}>' is not a Digdag schedule operator (daily>, hourly>, weekly>, monthly>, minutes_interval>, cron>)"),
        };
        return problem is null ? ($"{op}>: {value}", null) : (null, problem);
    }

    static ScheduleProblem? Cron(string pattern, string what) =>
        DigdagCron.Check(pattern) is { } p ? p with { Reason = $"{what}: {p.Reason}" } : null;

    internal static PhaseSchedules Read(ReadContext ctx)
    {
        string One(string property)
        {
            var text = ctx.Project.Property(property);
            var (normalized, problem) = Check(text);
            if (normalized is not null) return normalized;
            ctx.Error(problem!.Code, problem.Code == "CDP0102"
                    ? $"{property} '{text}' is not a schedule Digdag accepts: {problem.Reason}. Use daily, daily 07:30, hourly 15:00, a cron expression such as '0 7 * * MON-FRI', or Digdag's form such as 'weekly>: Sun,09:00:00'."
                    : $"{property} '{text}' would not run as it reads: {problem.Reason}.",
                ctx.Project.PropertyLocation(property));
            return "";
        }
        return new PhaseSchedules(One("CdpIngestionSchedule"), One("CdpHistUnionSchedule"), One("CdpStagingSchedule"), One("CdpUnificationSchedule"));
    }
}

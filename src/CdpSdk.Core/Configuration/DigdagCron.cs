using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;

namespace CdpSdk.Core.Configuration;

/// <summary>Why a schedule is refused: CDP0102 when Digdag refuses it too, CDP0140 when Digdag runs it but not as it reads.</summary>
public sealed record ScheduleProblem(string Code, string Reason);

/// <summary>
/// A cron pattern judged as Digdag judges it. Digdag's <c>cron&gt;</c> (and the patterns its weekly>, monthly> and
/// minutes_interval> build) is cron4j 2.2.5's <c>SchedulingPattern</c> (digdag-standards/…/scheduler/CronScheduler.java,
/// cron4j in digdag-standards/build.gradle): patterns joined by '|', each exactly five fields split on blanks
/// (minute 0-59, hour 0-23, day of month 1-31 or L, month 1-12 or jan-dec, day of week 0-7 or sun-sat, names in
/// any case), each field a ','-list of '*', a value or a range a-b (a &gt; b wraps around), each with an optional
/// '/step' of at least 1. No seconds, no year, no '?', 'W', '#', 'L' in day of week, and no @daily macros.
/// The shape is checked here; values, names and ranges by Cronos (a maintained library whose grammar is a superset
/// of cron4j's apart from the cases below), one list element at a time because Cronos refuses L inside a list.
/// </summary>
public static partial class DigdagCron
{
    static readonly string[] FieldNames = ["minute", "hour", "day-of-month", "month", "day-of-week"];
    static readonly (int Min, int Max)[] Ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];
    static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    [GeneratedRegex(@"^(?<range>\*|(?<a>[0-9A-Za-z]+)(?:-(?<b>[0-9A-Za-z]+))?)(?:/(?<step>[0-9]{1,9}))?$")]
    private static partial Regex Element();

    /// <summary>Null when Digdag accepts <paramref name="pattern"/> and runs it as written; otherwise why not.</summary>
    public static ScheduleProblem? Check(string pattern)
    {
        var parts = pattern.Split('|');
        foreach (var part in parts)
        {
            var fields = part.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0)
                return new("CDP0102", $"'{pattern}' has an empty pattern between '|'");
            if (fields.Length != 5)
                return new("CDP0102", $"'{part.Trim()}' has {fields.Length} fields; Digdag's cron takes exactly five (minute hour day-of-month month day-of-week), without seconds, a year or @daily-style macros");
            for (var i = 0; i < 5; i++)
                foreach (var element in fields[i].Split(','))
                    if (CheckElement(i, fields[i], element) is { } problem) return problem;
            if (NeverRuns(fields)) return new("CDP0140", $"'{part.Trim()}' names a day that no month has, so Digdag would never run it");
        }
        return null;
    }

    static ScheduleProblem? CheckElement(int field, string text, string element)
    {
        var name = FieldNames[field];
        var m = Element().Match(element);
        if (element.Length == 0 || !m.Success)
            return new("CDP0102", $"the {name} field '{text}' has '{element}', which Digdag's cron does not read ('?', 'W', '#' and an empty list entry are not part of it)");
        var a = m.Groups["a"].Value;
        var b = m.Groups["b"].Value;
        var isL = a.Equals("L", StringComparison.OrdinalIgnoreCase);
        if (isL && (field != 2 || b.Length > 0 || m.Groups["step"].Success))
            return new("CDP0102", $"the {name} field '{text}' uses L, which Digdag's cron reads only alone in the day-of-month field (the last day of the month)");
        if (m.Groups["step"].Success && m.Groups["range"].Value != "*" && b.Length == 0)
            return new("CDP0140", $"the {name} field has '{element}', which Digdag's cron reads as {a} only (the step applies to a range); write {a}-{Ranges[field].Max}/{m.Groups["step"].Value} for every {m.Groups["step"].Value} from {a}");

        foreach (var v in new[] { a, b }.Where(v => v.Length > 0 && !v.Equals("L", StringComparison.OrdinalIgnoreCase)))
            if (!v.All(char.IsAsciiDigit) && Value(field, v) is null)
                return new("CDP0102", $"the {name} field '{text}' has '{v}', which is not a {name} value in Digdag's cron ({Ranges[field].Min}-{Ranges[field].Max}{Names(field)}; no W, # or L suffixes)");
        var range = m.Groups["range"].Value;
        var step = m.Groups["step"].Success ? int.Parse(m.Groups["step"].Value, CultureInfo.InvariantCulture) : 1;
        var span = Span(field, range, a, b);
        // Cronos refuses a step past the field's largest value, where cron4j keeps the range's first value.
        var forCronos = isL ? "L" : step >= span && m.Groups["step"].Success ? range : element;
        var expression = string.Join(' ', Enumerable.Range(0, 5).Select(i => i == field ? forCronos : "*"));
        try
        {
            CronExpression.Parse(expression, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            return new("CDP0102", $"the {name} field '{text}' is not valid in Digdag's cron ({name} {Ranges[field].Min}-{Ranges[field].Max}{Names(field)}): {e.Message.Replace("The given cron expression has an invalid format. ", "")}");
        }
        if (step == 0) return new("CDP0102", $"the {name} field '{text}' has a step of 0");
        if (m.Groups["step"].Success && span > 0 && step > span)
            return new("CDP0140", $"the {name} field has '{element}': its step is larger than the {span} values it steps over, so Digdag's cron runs only at the first of them, not every {step}");
        return null;
    }

    static string Names(int field) => field switch { 3 => " or jan-dec", 4 => " or sun-sat", 2 => " or L", _ => "" };

    /// <summary>How many values a range covers (a &gt; b wraps around, as cron4j reads it); 0 when a value is not readable.</summary>
    static int Span(int field, string range, string a, string b)
    {
        var (min, max) = field == 4 ? (0, 6) : Ranges[field];
        if (range == "*") return max - min + 1;
        if (Value(field, a) is not { } from) return 0;
        if (b.Length == 0) return 1;
        if (Value(field, b) is not { } to) return 0;
        return from <= to ? to - from + 1 : max - from + 1 + to - min + 1;
    }

    static int? Value(int field, string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return field == 4 ? n % 7 : n;
        var names = field switch { 3 => Months, 4 => Days, _ => [] };
        var i = Array.FindIndex(names, x => x.Equals(text, StringComparison.OrdinalIgnoreCase));
        return i < 0 ? null : field == 3 ? i + 1 : i;
    }

    /// <summary>
    /// Only where Cronos and cron4j mean the same: with day of week '*' (cron4j ANDs day of month with day of week where
    /// Cronos, like Vixie cron, ORs them) and no L or step inside a list (which Cronos does not read).
    /// </summary>
    static bool NeverRuns(string[] fields)
    {
        if (fields[4] != "*" || fields[2].Contains(',') && fields[2].Contains('L', StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            var e = CronExpression.Parse(string.Join(' ', fields), CronFormat.Standard);
            return e.GetNextOccurrence(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null;
        }
        catch (CronFormatException)
        {
            return false;
        }
    }
}

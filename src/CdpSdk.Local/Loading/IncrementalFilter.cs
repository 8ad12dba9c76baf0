using System.Globalization;
using CdpSdk.Local.Presto;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Which records an incremental load takes: those after the start date and after the last load's
/// highest value of the incremental column, tracking the new highest value as it goes.
/// </summary>
internal sealed class IncrementalFilter(string column, string? startDate, string? watermark)
{
    public string Column => column;

    readonly string? _watermark = watermark;

    public string? Highest { get; private set; } = watermark;

    public long SkippedWithoutValue { get; private set; }

    public long SkippedOld { get; private set; }

    public bool Accept(Record record)
    {
        var value = record[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;
        if (string.IsNullOrEmpty(value))
        {
            // Without a cursor value the row could not be told apart from itself on the next run.
            SkippedWithoutValue++;
            return false;
        }
        if ((startDate is not null && Compare(value, startDate) < 0) || (_watermark is not null && Compare(value, _watermark) <= 0))
        {
            SkippedOld++;
            return false;
        }
        if (Highest is null || Compare(value, Highest) > 0) Highest = value;
        return true;
    }

    /// <summary>Times compare as times (whatever their format), numbers as numbers, anything else as text.</summary>
    public static int Compare(string a, string b)
    {
        if (TdTimeFunctions.Parse(a, "UTC") is { } ta && TdTimeFunctions.Parse(b, "UTC") is { } tb) return ta.CompareTo(tb);
        if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var da) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var db)) return da.CompareTo(db);
        return string.CompareOrdinal(a, b);
    }
}

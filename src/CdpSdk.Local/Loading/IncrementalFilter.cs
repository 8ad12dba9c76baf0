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

    // The bounds are read once: parsing a time is most of the cost of filtering a row.
    readonly Cursor? _start = startDate is null ? null : Cursor.Of(startDate);
    readonly Cursor? _watermark = watermark is null ? null : Cursor.Of(watermark);
    Cursor? _highest = watermark is null ? null : Cursor.Of(watermark);

    public string? Highest => _highest?.Text;

    public long SkippedWithoutValue { get; private set; }

    public long SkippedOld { get; private set; }

    public bool Accept(Record record) => Accept(record[column] is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null);

    /// <summary>Whether a row with this cursor value (as text, the way the reader typed it) is new.</summary>
    public bool Accept(string? value) => Accept(Parse(value));

    /// <summary>
    /// The rows' cursor values, parsed on every core (parsing is most of the cost, and each value is parsed
    /// alone), then accepted in row order, so the highest value is the one a row-by-row reader finds.
    /// </summary>
    public bool[] AcceptAll(IReadOnlyList<string?> values)
    {
        var cursors = new Cursor?[values.Count];
        Parallel.For(0, values.Count, i => cursors[i] = Parse(values[i]));
        var accepted = new bool[values.Count];
        for (var i = 0; i < cursors.Length; i++) accepted[i] = Accept(cursors[i]);
        return accepted;
    }

    static Cursor? Parse(string? value) => string.IsNullOrEmpty(value) ? null : Cursor.Of(value);

    /// <summary>
    /// The bounds as unix seconds when every bound there is reads as a time, for a caller that compares times
    /// itself (the loader, in SQL, when every cursor value is a plain time); null otherwise.
    /// </summary>
    public (long? Start, long? Watermark)? TimeBounds() =>
        _start is { Time: null } || _watermark is { Time: null } || _highest is { Time: null } ? null : (_start?.Time, _watermark?.Time);

    /// <summary>What a caller that applied <see cref="TimeBounds"/> itself found: the counts, and the first of the highest accepted values.</summary>
    public void Took(long skippedOld, long skippedWithoutValue, string? highest)
    {
        SkippedOld += skippedOld;
        SkippedWithoutValue += skippedWithoutValue;
        if (highest is not null && Cursor.Of(highest) is var cursor && (_highest is null || cursor.CompareTo(_highest) > 0)) _highest = cursor;
    }

    bool Accept(Cursor? cursor)
    {
        if (cursor is null)
        {
            // Without a cursor value the row could not be told apart from itself on the next run.
            SkippedWithoutValue++;
            return false;
        }
        if ((_start is not null && cursor.CompareTo(_start) < 0) || (_watermark is not null && cursor.CompareTo(_watermark) <= 0))
        {
            SkippedOld++;
            return false;
        }
        if (_highest is null || cursor.CompareTo(_highest) > 0) _highest = cursor;
        return true;
    }

    /// <summary>A cursor value with what it reads as, parsed once: times compare as times (whatever their format), numbers as numbers, anything else as text.</summary>
    sealed record Cursor(string Text, long? Time, double? Number)
    {
        public static Cursor Of(string text) => new(text, TdTimeFunctions.Parse(text, "UTC"),
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null);

        public int CompareTo(Cursor other) =>
            Time is { } t && other.Time is { } ot ? t.CompareTo(ot)
            : Number is { } n && other.Number is { } on ? n.CompareTo(on)
            : string.CompareOrdinal(Text, other.Text);
    }
}

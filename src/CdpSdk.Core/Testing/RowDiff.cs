using System.Globalization;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Testing;

/// <summary>
/// Compares a transform's rows with the expected ones over the expected columns only, in any order (a
/// multiset, as dbt's unit tests compare). Unmatched rows that share the first expected column (the key)
/// are reported as one changed row naming the columns that differ.
/// </summary>
internal static class RowDiff
{
    public static IReadOnlyList<RowDifference> Compare(TestRows expected, ScratchOutput actual)
    {
        var names = expected.Columns.Select(c => c.Name).ToList();
        var index = names.Select(n => actual.Columns.ToList().FindIndex(c => c.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
        var produced = actual.Rows.Select(r => index.Select(i => i < 0 ? null : r[i]).ToList()).ToList();

        var used = new bool[produced.Count];
        var missing = new List<TestRow>();
        foreach (var row in expected.Rows)
        {
            var match = Enumerable.Range(0, produced.Count).FirstOrDefault(i => !used[i] && SameRow(row.Values, produced[i]), -1);
            if (match >= 0) used[match] = true;
            else missing.Add(row);
        }
        var unexpected = Enumerable.Range(0, produced.Count).Where(i => !used[i]).ToList();

        var differences = new List<RowDifference>();
        foreach (var row in missing)
        {
            // The same key among the unexpected rows: one changed row rather than a missing and an unexpected one.
            var partner = unexpected.FirstOrDefault(i => names.Count > 1 && SameValue(row.Values[0], produced[i][0]), -1);
            if (partner < 0)
            {
                differences.Add(new RowDifference("missing", row.Line, Show(names, row.Values), []));
                continue;
            }
            unexpected.Remove(partner);
            var changes = names.Select((n, c) => (n, c)).Where(x => !SameValue(row.Values[x.c], produced[partner][x.c]))
                .Select(x => new ColumnChange(x.n, row.Values[x.c], produced[partner][x.c])).ToList();
            differences.Add(new RowDifference("changed", row.Line, Show(names, row.Values), changes));
        }
        differences.AddRange(unexpected.Select(i => new RowDifference("unexpected", 0, Show(names, produced[i]), [])));
        return differences;
    }

    static bool SameRow(IReadOnlyList<string?> a, IReadOnlyList<string?> b) => a.Select((v, i) => SameValue(v, b[i])).All(x => x);

    /// <summary>Text equal, or the same number (1 and 1.0), or the same boolean in any case.</summary>
    public static bool SameValue(string? expected, string? actual)
    {
        if (expected is null || actual is null) return expected is null && actual is null;
        if (expected == actual) return true;
        if (double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) &&
            double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)) return x == y;
        return bool.TryParse(expected, out var p) && bool.TryParse(actual, out var q) && p == q;
    }

    public static string Show(IReadOnlyList<string> names, IReadOnlyList<string?> values) =>
        "{" + string.Join(", ", names.Select((n, i) => $"{n}={values[i] ?? "NULL"}")) + "}";

    /// <summary>A few differences in words, for the build log.</summary>
    public static string Describe(IReadOnlyList<RowDifference> differences, int limit = 5)
    {
        var parts = differences.Take(limit).Select(d => d.Kind switch
        {
            "changed" => $"changed {d.Row.Split(',')[0].TrimStart('{').TrimEnd('}')} (line {d.Line}): " +
                         string.Join(", ", d.Changes.Select(c => $"{c.Column} expected {c.Expected ?? "NULL"}, got {c.Actual ?? "NULL"}")),
            "missing" => $"missing {d.Row} (line {d.Line})",
            _ => $"unexpected {d.Row}",
        });
        return string.Join("; ", parts) + (differences.Count > limit ? $"; and {differences.Count - limit} more" : "");
    }
}

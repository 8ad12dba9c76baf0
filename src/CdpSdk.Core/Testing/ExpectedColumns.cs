using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Testing;

/// <summary>An expected column the transform does not produce can never match: CDP0305 at the line that names it.</summary>
internal static class ExpectedColumns
{
    /// <returns>Whether every expected column is produced.</returns>
    public static bool Check(List<Diagnostic> diagnostics, string test, TestRows expected, IReadOnlyList<string> produced, string output)
    {
        var unknown = expected.Columns.Where(c => !produced.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var c in unknown)
            diagnostics.Add(Diagnostic.Error("CDP0305", $"CdpTest '{test}' expects a column {c.Name}, which {output} does not have; its columns are {string.Join(", ", produced)}.", expected.ColumnAt(c.Name)));
        return unknown.Count == 0;
    }
}

namespace CdpSdk.Local.Tests;

/// <summary>
/// The retail sample's generated files as the tests read them (tools/CdpSdk.SampleData writes them; fields are
/// never quoted), and its truth file: which person each record really is.
/// </summary>
internal static class SampleData
{
    public static List<Dictionary<string, string>> Read(string file)
    {
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var fields = l.Split(',');
            return header.Select((h, i) => (h, fields[i])).ToDictionary(x => x.h, x => x.Item2);
        }).ToList();
    }

    public static long DistinctKeys(IEnumerable<Dictionary<string, string>> rows, string key) => rows.Select(r => r[key]).Distinct().Count();

    /// <summary>(staging table, record id) → person id, from samples/retail/truth/persons.csv.</summary>
    public static Dictionary<(string Table, string Record), string> Truth(string repoRoot) =>
        Read(Path.Combine(repoRoot, "samples", "retail", "truth", "persons.csv")).ToDictionary(r => (r["table"], r["record_id"]), r => r["person_id"]);

    /// <summary>
    /// Pairwise precision and recall of predicted ids against true persons: of the record pairs given one id, the
    /// share that are one person; of the pairs that are one person, the share given one id.
    /// </summary>
    public static (double Precision, double Recall) PairScores(IReadOnlyList<(string Predicted, string Person)> records)
    {
        static long Pairs(IEnumerable<int> sizes) => sizes.Sum(n => (long)n * (n - 1) / 2);
        var together = Pairs(records.GroupBy(r => r.Predicted).Select(g => g.Count()));
        var same = Pairs(records.GroupBy(r => r.Person).Select(g => g.Count()));
        var both = Pairs(records.GroupBy(r => (r.Predicted, r.Person)).Select(g => g.Count()));
        return (together == 0 ? 1 : (double)both / together, same == 0 ? 1 : (double)both / same);
    }
}

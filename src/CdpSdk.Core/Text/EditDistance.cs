namespace CdpSdk.Core.Text;

/// <summary>Levenshtein distance, for "did you mean …?" suggestions of misspelt names.</summary>
public static class EditDistance
{
    public static int Between(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    /// <summary>Known names ordered by closeness to <paramref name="name"/> (case-insensitive), closest first.</summary>
    public static IReadOnlyList<(string Name, int Distance)> Closest(string name, IEnumerable<string> known, int take = 3) =>
        known.Select(k => (k, Between(name.ToLowerInvariant(), k.ToLowerInvariant())))
             .OrderBy(x => x.Item2).ThenBy(x => x.k, StringComparer.Ordinal).Take(take).ToList();
}

namespace CdpSdk.Local.Unification;

/// <summary>
/// TD's unification loop, simulated to tell whether merge_iterations is enough (CDP5200). TD's graph holds
/// distinct follower → leader rows: each record makes its highest-priority key value the leader of every key
/// value in it, the leader included (graph_unify_loop_0). One loop then adds a row L → L for every leader,
/// takes per follower the best of its leaders, m(f), replaces every leader L by the best m(f) among the
/// followers that point to L, and keeps the distinct rows (graph_unify_loop_N). Best = lowest rank: key
/// priority (merge_by_keys order), then value. TD stops when a loop changes nothing or after merge_iterations
/// loops. Sources: TD's tutorial pages (api-docs p3_canonical_id_learning; the CDP academy's "Unification
/// Algorithm" sections) and TD staff's public SQL port of the loop; see docs/design.md.
/// </summary>
internal static class TdGraphLoop
{
    /// <summary>
    /// The number of loops after which the next loop changes nothing: the graph is final after that many,
    /// so TD's result is complete when merge_iterations is at least this (0 when loop 0 is already final).
    /// Returns <paramref name="cap"/> when the graph is still changing after that many loops.
    /// </summary>
    public static int LoopsToConverge(int[] rank, IEnumerable<int[]> records, IEnumerable<(int Follower, int Leader)> previous, int cap)
    {
        var rows = new HashSet<long>(RowComparer.Instance);
        foreach (var (f, l) in previous) rows.Add(Row(f, l));
        foreach (var record in records)
        {
            if (record.Length == 0) continue;
            var leader = record[0];
            foreach (var n in record) if (rank[n] < rank[leader]) leader = n;
            foreach (var n in record) rows.Add(Row(n, leader));
        }

        var best = new int[rank.Length];
        var replaced = new int[rank.Length];
        var isLeader = new bool[rank.Length];
        for (var loop = 1; loop <= cap; loop++)
        {
            var next = Step(rows, rank, best, replaced, isLeader);
            if (next.SetEquals(rows)) return loop - 1;
            rows = next;
        }
        return cap;
    }

    static HashSet<long> Step(HashSet<long> rows, int[] rank, int[] best, int[] replaced, bool[] isLeader)
    {
        Array.Fill(best, -1);
        Array.Fill(isLeader, false);
        foreach (var row in rows) isLeader[Leader(row)] = true;
        // m(f): the best leader of each follower; a leader also counts as its own (the L → L row).
        for (var n = 0; n < best.Length; n++) if (isLeader[n]) best[n] = n;
        foreach (var row in rows)
        {
            var (f, l) = (Follower(row), Leader(row));
            if (best[f] < 0 || rank[l] < rank[best[f]]) best[f] = l;
        }
        // new(L): the best m(f) among the followers of L, itself included.
        for (var n = 0; n < replaced.Length; n++) replaced[n] = n;
        foreach (var row in rows)
        {
            var (f, l) = (Follower(row), Leader(row));
            if (rank[best[f]] < rank[replaced[l]]) replaced[l] = best[f];
        }
        for (var n = 0; n < replaced.Length; n++)
            if (isLeader[n] && rank[best[n]] < rank[replaced[n]]) replaced[n] = best[n];

        var next = new HashSet<long>(rows.Count, RowComparer.Instance);
        foreach (var row in rows) next.Add(Row(Follower(row), replaced[Leader(row)]));
        for (var n = 0; n < isLeader.Length; n++) if (isLeader[n]) next.Add(Row(n, replaced[n]));
        return next;
    }

    /// <summary>
    /// long's own hash is low ^ high word, so (f, l) and (l, f), and every pair with the same f ^ l, would
    /// share a bucket: a multiplicative mix spreads the pairs (the simulation was quadratic without it).
    /// </summary>
    sealed class RowComparer : IEqualityComparer<long>
    {
        public static readonly RowComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long row) => (int)((ulong)(row * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
    }

    static long Row(int follower, int leader) => ((long)follower << 32) | (uint)leader;

    static int Follower(long row) => (int)(row >> 32);

    static int Leader(long row) => (int)(row & 0xFFFFFFFF);
}

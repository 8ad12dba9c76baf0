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
    /// Returns <paramref name="cap"/> when the graph is still changing after that many loops. Records are
    /// given compactly: record r's nodes are <paramref name="recordNodes"/>[starts[r]..starts[r + 1]].
    /// </summary>
    public static int LoopsToConverge(int[] rank, ReadOnlySpan<int> recordNodes, ReadOnlySpan<int> starts, IEnumerable<(int Follower, int Leader)> previous, int cap)
    {
        var rows = new List<long>(recordNodes.Length);
        foreach (var (f, l) in previous) rows.Add(Row(f, l));
        for (var r = 0; r + 1 < starts.Length; r++)
        {
            var record = recordNodes[starts[r]..starts[r + 1]];
            if (record.Length == 0) continue;
            var leader = record[0];
            foreach (var n in record) if (rank[n] < rank[leader]) leader = n;
            foreach (var n in record) rows.Add(Row(n, leader));
        }
        var graph = Distinct(rows.ToArray(), rows.Count);

        var best = new int[rank.Length];
        var replaced = new int[rank.Length];
        var isLeader = new bool[rank.Length];
        for (var loop = 1; loop <= cap; loop++)
        {
            var next = Step(graph, rank, best, replaced, isLeader);
            if (next.AsSpan().SequenceEqual(graph)) return loop - 1;
            graph = next;
        }
        return cap;
    }

    /// <summary>One loop over the distinct rows, sorted; returns the next loop's distinct rows, sorted.</summary>
    static long[] Step(long[] rows, int[] rank, int[] best, int[] replaced, bool[] isLeader)
    {
        Array.Fill(best, -1);
        Array.Fill(isLeader, false);
        foreach (var row in rows) isLeader[Leader(row)] = true;
        // m(f): the best leader of each follower; a leader also counts as its own (the L → L row).
        var leaders = 0;
        for (var n = 0; n < best.Length; n++) if (isLeader[n]) { best[n] = n; leaders++; }
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

        var next = new long[rows.Length + leaders];
        var count = 0;
        foreach (var row in rows) next[count++] = Row(Follower(row), replaced[Leader(row)]);
        for (var n = 0; n < isLeader.Length; n++) if (isLeader[n]) next[count++] = Row(n, replaced[n]);
        return Distinct(next, count);
    }

    /// <summary>The distinct rows among the first <paramref name="count"/>, sorted (a sort is cheaper than hashing millions of rows).</summary>
    static long[] Distinct(long[] rows, int count)
    {
        Array.Sort(rows, 0, count);
        var kept = 0;
        for (var i = 0; i < count; i++)
            if (kept == 0 || rows[i] != rows[kept - 1]) rows[kept++] = rows[i];
        Array.Resize(ref rows, kept);
        return rows;
    }

    static long Row(int follower, int leader) => ((long)follower << 32) | (uint)leader;

    static int Follower(long row) => (int)(row >> 32);

    static int Leader(long row) => (int)(row & 0xFFFFFFFF);
}

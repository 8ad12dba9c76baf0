using System.Runtime.InteropServices;

namespace CdpSdk.Local.Unification;

/// <summary>
/// The key graph of one id: key values are nodes, each record joins its valid key values. Clusters come from
/// union-find; a do_not_merge_key keeps two different values of that key out of one cluster (the record
/// that would join them is refused the join). Records are kept compactly (CSR) to count TD's iterations.
/// </summary>
internal sealed class IdGraph(string? doNotMergeKey)
{
    readonly UnionFind _sets = new();
    readonly List<int> _recordNodes = [];
    readonly List<int> _recordStarts = [0];
    int[] _dnm = new int[1024];

    /// <summary>Key values in the order first seen; for a persistent id the earliest one leads its cluster.</summary>
    public List<(string Key, string Value)> Nodes { get; } = [];

    public int Refused => RefusedJoins.Count;

    /// <summary>
    /// Each refused join as (key value, the record's anchor). TD keeps such a value as a follower of both
    /// leaders, so its lookup lists the value once per id (TD's do_not_merge_key sample, ex4).
    /// </summary>
    public List<(int Node, int Anchor)> RefusedJoins { get; } = [];

    /// <summary>A new node for a key value; the caller adds each value once (<see cref="KeyValues"/> finds them distinct).</summary>
    public int Add(string key, string value)
    {
        var n = _sets.Add();
        Nodes.Add((key, value));
        if (n == _dnm.Length) Array.Resize(ref _dnm, _dnm.Length * 2);
        _dnm[n] = key == doNotMergeKey ? n : -1;
        return n;
    }

    /// <summary>
    /// One record's valid key values: joined into one cluster unless that would join two do_not_merge values.
    /// Returns the node that decides the record's id (its do_not_merge value, else its first), or -1 without keys.
    /// </summary>
    public int AddRecord(ReadOnlySpan<int> nodes)
    {
        if (nodes.Length == 0) return -1;
        // The do_not_merge value (if any) anchors the record, so conflicting values are the ones refused.
        var anchor = nodes[0];
        foreach (var n in nodes) if (_dnm[_sets.Find(n)] >= 0) { anchor = n; break; }
        _recordNodes.Add(anchor);
        foreach (var n in nodes)
        {
            if (n == anchor) continue;
            var (ra, rb) = (_sets.Find(anchor), _sets.Find(n));
            if (ra != rb && _dnm[ra] >= 0 && _dnm[rb] >= 0 && _dnm[ra] != _dnm[rb]) { RefusedJoins.Add((n, anchor)); continue; }
            var keep = _dnm[ra] >= 0 ? _dnm[ra] : _dnm[rb];
            _dnm[_sets.Union(ra, rb)] = keep;
            _recordNodes.Add(n);
        }
        _recordStarts.Add(_recordNodes.Count);
        return anchor;
    }

    /// <summary>Per node, the node that leads its cluster: the one with the lowest rank.</summary>
    public int[] Leaders(int[] rank)
    {
        var best = new int[Nodes.Count];
        Array.Fill(best, -1);
        for (var n = 0; n < Nodes.Count; n++)
        {
            var root = _sets.Find(n);
            if (best[root] < 0 || rank[n] < rank[best[root]]) best[root] = n;
        }
        var leaders = new int[Nodes.Count];
        for (var n = 0; n < Nodes.Count; n++) leaders[n] = best[_sets.Find(n)];
        return leaders;
    }

    /// <summary>
    /// How many of TD's graph loops this graph needs before a loop changes nothing (<see cref="TdGraphLoop"/>),
    /// counted on the joins the clusters were built from, starting from <paramref name="previous"/> (the last
    /// run's final graph, on an incremental run) plus each record's follower → leader rows.
    /// </summary>
    public int IterationsNeeded(int[] rank, IEnumerable<(int Follower, int Leader)> previous, int cap = 50) =>
        TdGraphLoop.LoopsToConverge(rank, CollectionsMarshal.AsSpan(_recordNodes), CollectionsMarshal.AsSpan(_recordStarts), previous, cap);
}

namespace CdpSdk.Local.Unification;

/// <summary>
/// The key graph of one id: key values are nodes, each record joins its valid key values. Clusters come from
/// union-find; a do_not_merge_key keeps two different values of that key out of one cluster (the record
/// that would join them is refused the join). Records are kept compactly (CSR) to count TD's iterations.
/// </summary>
internal sealed class IdGraph(string? doNotMergeKey)
{
    // One map per key: hashing the value alone is cheaper than a (key, value) tuple, and keys are few.
    readonly Dictionary<string, Dictionary<string, int>> _index = new(StringComparer.Ordinal);
    readonly UnionFind _sets = new();
    readonly List<int> _recordNodes = [];
    readonly List<int> _recordStarts = [0];
    int[] _dnm = new int[1024];

    /// <summary>Key values in the order first seen; for a persistent id the earliest one leads its cluster.</summary>
    public List<(string Key, string Value)> Nodes { get; } = [];

    public int Refused { get; private set; }

    public int Node(string key, string value)
    {
        if (!_index.TryGetValue(key, out var values)) _index[key] = values = new Dictionary<string, int>(StringComparer.Ordinal);
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(values, value, out var exists);
        if (exists) return slot;
        var n = slot = _sets.Add();
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
            if (ra != rb && _dnm[ra] >= 0 && _dnm[rb] >= 0 && _dnm[ra] != _dnm[rb]) { Refused++; continue; }
            var keep = _dnm[ra] >= 0 ? _dnm[ra] : _dnm[rb];
            _dnm[_sets.Union(ra, rb)] = keep;
            _recordNodes.Add(n);
        }
        _recordStarts.Add(_recordNodes.Count);
        return anchor;
    }

    public int Root(int node) => _sets.Find(node);

    /// <summary>Per node, the node that leads its cluster: the one with the lowest rank.</summary>
    public int[] Leaders(Func<int, int, bool> ranksBefore)
    {
        var best = new Dictionary<int, int>();
        for (var n = 0; n < Nodes.Count; n++)
        {
            var root = _sets.Find(n);
            if (!best.TryGetValue(root, out var leader) || ranksBefore(n, leader)) best[root] = n;
        }
        var leaders = new int[Nodes.Count];
        for (var n = 0; n < Nodes.Count; n++) leaders[n] = best[_sets.Find(n)];
        return leaders;
    }

    /// <summary>
    /// How many of TD's loops the graph needs: TD moves every key value to the smallest leader among the
    /// records it shares, one record hop per loop, until nothing changes. Simulated here on the joins the
    /// clusters were built from (synchronously, as each SQL loop is), stopping at <paramref name="cap"/>.
    /// </summary>
    public int IterationsNeeded(int[] rank, int cap = 50)
    {
        var label = (int[])rank.Clone();
        var next = new int[label.Length];
        for (var round = 1; round <= cap; round++)
        {
            Array.Copy(label, next, label.Length);
            var changed = false;
            for (var r = 0; r + 1 < _recordStarts.Count; r++)
            {
                var (from, to) = (_recordStarts[r], _recordStarts[r + 1]);
                var min = int.MaxValue;
                for (var i = from; i < to; i++) min = Math.Min(min, label[_recordNodes[i]]);
                for (var i = from; i < to; i++)
                {
                    var n = _recordNodes[i];
                    if (next[n] > min) { next[n] = min; changed = true; }
                }
            }
            (label, next) = (next, label);
            if (!changed) return Math.Max(1, round - 1);
        }
        return cap;
    }
}

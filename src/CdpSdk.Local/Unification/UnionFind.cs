namespace CdpSdk.Local.Unification;

/// <summary>Disjoint sets over key-value indices; merging is transitive, which is what TD's iterations converge to.</summary>
internal sealed class UnionFind
{
    readonly List<int> _parent = [];

    public int Add()
    {
        _parent.Add(_parent.Count);
        return _parent.Count - 1;
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }
        return x;
    }

    /// <summary>Joins two sets; the smaller index stays root so roots are deterministic.</summary>
    public void Union(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb) return;
        if (ra < rb) _parent[rb] = ra; else _parent[ra] = rb;
    }
}

namespace CdpSdk.Local.Unification;

/// <summary>
/// Disjoint sets over key-value indices, near-linear (path halving, union by index): merging is transitive,
/// which is what TD's iterations converge to. The smaller index stays root so roots are deterministic.
/// </summary>
internal sealed class UnionFind
{
    int[] _parent = new int[1024];

    public int Count { get; private set; }

    public int Add()
    {
        if (Count == _parent.Length) Array.Resize(ref _parent, _parent.Length * 2);
        _parent[Count] = Count;
        return Count++;
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

    /// <summary>Joins two sets and returns the new root.</summary>
    public int Union(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb) return ra;
        if (ra < rb) { _parent[rb] = ra; return ra; }
        _parent[ra] = rb;
        return rb;
    }
}

namespace CdpSdk.Local.Runner;

/// <summary>
/// Parameters visible to a task: its own _export over its parents'. Lookups go by dotted path and fall
/// back to the parent per path, so td.database from one level and td.engine from another both resolve.
/// </summary>
internal sealed class Scope(OrderedDictionary<string, object?> values, Scope? parent)
{
    public static Scope Root(OrderedDictionary<string, object?> values) => new(values, null);

    public Scope With(OrderedDictionary<string, object?>? exports) => exports is null || exports.Count == 0 ? this : new Scope(exports, this);

    public (bool Found, object? Value) Get(string path)
    {
        if (TryPath(values, path, out var value)) return (true, value);
        return parent?.Get(path) ?? (false, null);
    }

    public static bool TryPath(OrderedDictionary<string, object?> root, string path, out object? value)
    {
        object? node = root;
        foreach (var part in path.Split('.'))
        {
            if (node is OrderedDictionary<string, object?> map && map.TryGetValue(part, out var next)) node = next;
            else { value = null; return false; }
        }
        value = node;
        return true;
    }

    /// <summary>Sets a dotted path, creating intermediate maps (how operators store td.last_job.*).</summary>
    public static void SetPath(OrderedDictionary<string, object?> root, string path, object? value)
    {
        var parts = path.Split('.');
        var map = root;
        foreach (var part in parts[..^1])
        {
            if (map.TryGetValue(part, out var next) && next is OrderedDictionary<string, object?> child) map = child;
            else { child = new OrderedDictionary<string, object?>(StringComparer.Ordinal); map[part] = child; map = child; }
        }
        map[parts[^1]] = value;
    }
}

namespace CdpSdk.Local.Unification;

/// <summary>
/// The tables and keys that build one id's graph. A plain id joins records on its merge_by_keys (every key
/// when the list is empty, as TD defaults) within its source_tables (every table when empty). An id with
/// merge_by_canonical_ids / merge_by_persistent_ids also takes the tables and keys of each id it merges, so
/// their clusters join wherever they share a key value: TD's sample ex3 builds one brand-wide id from two
/// per-brand ids this way. <see cref="Keys"/> is in priority order (own keys first, then the merged ids').
/// </summary>
internal sealed record IdScope(IReadOnlyList<string> Keys, IReadOnlyList<(SourceTable Table, IReadOnlyList<string> Keys)> Tables)
{
    public static IdScope Of(UnifyConfig config, IdSpec id)
    {
        var keys = new List<string>();
        var tables = new List<(SourceTable Table, List<string> Keys)>();
        Add(config, id, keys, tables, new HashSet<string>(StringComparer.Ordinal));
        // Config order, so the graph is read the same way whichever id names a table first.
        var ordered = config.Tables.Select(t => tables.FirstOrDefault(x => x.Table == t)).Where(x => x.Table is not null)
            .Select(x => (x.Table, (IReadOnlyList<string>)x.Keys)).ToList();
        return new IdScope(keys, ordered);
    }

    static void Add(UnifyConfig config, IdSpec id, List<string> keys, List<(SourceTable Table, List<string> Keys)> tables, HashSet<string> visited)
    {
        if (!visited.Add(id.Name)) return;
        var own = id.MergeByKeys.Count > 0 ? id.MergeByKeys : id.MergeByIds.Count > 0 ? [] : config.Keys.Keys.ToList();
        if (own.Count > 0)
            foreach (var table in config.Tables.Where(t => id.SourceTables.Count == 0 || id.SourceTables.Contains(t.Alias) || id.SourceTables.Contains(t.Table)))
            {
                var entry = tables.FirstOrDefault(x => x.Table == table);
                if (entry.Table is null) tables.Add(entry = (table, []));
                entry.Keys.AddRange(own.Where(k => !entry.Keys.Contains(k)));
            }
        keys.AddRange(own.Where(k => !keys.Contains(k)));
        foreach (var merged in id.MergeByIds)
            if (config.Ids.FirstOrDefault(i => i.Name == merged) is { } other) Add(config, other, keys, tables, visited);
    }
}

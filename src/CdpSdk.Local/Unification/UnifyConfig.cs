using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Runner;

namespace CdpSdk.Local.Unification;

internal sealed record KeyRule(string Name, System.Text.RegularExpressions.Regex? Valid, IReadOnlySet<string> Invalid)
{
    /// <summary>TD counts a key value only when it matches valid_regexp (as regexp_like does) and is not an invalid text.</summary>
    public bool Accepts(string value) => !Invalid.Contains(value) && (Valid is null || Valid.IsMatch(value));
}

internal sealed record SourceTable(string Database, string Table, string Alias, IReadOnlyList<(string Column, string Key)> KeyColumns);

/// <summary>
/// One canonical or persistent id. <paramref name="MergeByIds"/> (merge_by_canonical_ids / merge_by_persistent_ids)
/// names ids of the same kind whose graphs this one joins: their records and keys count as this id's own.
/// </summary>
internal sealed record IdSpec(string Name, bool Persistent, IReadOnlyList<string> MergeByKeys, IReadOnlyList<string> SourceTables, int MergeIterations, string? DoNotMergeKey = null)
{
    public IReadOnlyList<string> MergeByIds { get; init; } = [];

    /// <summary>TD's loop limit on an incremental run that starts from the last run's graph (default 2).</summary>
    public int IncrementalMergeIterations { get; init; } = 2;
}

/// <summary>One source column of a master-table attribute: lower priority wins, then first/last by order_by.</summary>
internal sealed record AttributeSource(string Table, string Column, int Priority, bool Last, string? OrderBy);

/// <summary>A master-table attribute: picked from source columns, or (<paramref name="SourceId"/>, TD's source_canonical_id / source_persistent_id) the values of another id.</summary>
internal sealed record MasterAttribute(string Name, int ArrayElements, KeyRule Rule, IReadOnlyList<AttributeSource> Sources, string? SourceId = null);

internal sealed record MasterTable(string Name, string IdName, IReadOnlyList<MasterAttribute> Attributes);

/// <summary>TD's unify.yml as the Local engine uses it, read from the http_call> content.</summary>
internal sealed record UnifyConfig(string Name, IReadOnlyDictionary<string, KeyRule> Keys, IReadOnlyList<SourceTable> Tables, IReadOnlyList<IdSpec> Ids)
{
    public IReadOnlyList<MasterTable> MasterTables { get; init; } = [];

    public string Database => "cdp_unification_" + Name;

    public static UnifyConfig Parse(OrderedDictionary<string, object?> yml)
    {
        var name = Text(yml, "name") ?? Fail("has no name");
        var keys = Maps(yml, "keys").Select(k => Rule(Text(k, "name") ?? Fail("has a key without a name"), k)).ToDictionary(k => k.Name, StringComparer.Ordinal);
        var tables = Maps(yml, "tables").Select(t =>
        {
            var table = Text(t, "table") ?? Fail("has a table entry without table:");
            var columns = Maps(t, "key_columns").Select(c => (Text(c, "column") ?? Fail($"table {table} has a key column without column:"), Text(c, "key") ?? "")).ToList();
            foreach (var (_, key) in columns.Where(c => !keys.ContainsKey(c.Item2)))
                Fail($"table {table} uses key '{key}', which is not under keys:");
            return new SourceTable(Text(t, "database") ?? Fail($"table {table} has no database"), table, Text(t, "as") ?? table, columns);
        }).ToList();
        var ids = Maps(yml, "persistent_ids").Select(p => Id(p, persistent: true))
            .Concat(Maps(yml, "canonical_ids").Select(p => Id(p, persistent: false))).ToList();
        if (keys.Count == 0 || tables.Count == 0 || ids.Count == 0)
            Fail("needs keys, tables and at least one persistent_ids or canonical_ids entry");
        foreach (var id in ids.Where(i => i.DoNotMergeKey is not null && (i.MergeByKeys.Count == 0 || i.MergeByKeys[0] != i.DoNotMergeKey)))
            Fail($"sets do_not_merge_key '{id.DoNotMergeKey}' on {id.Name}, but it must be the first of its merge_by_keys");
        CheckMergedIds(ids);
        var masters = Maps(yml, "master_tables").Select(m => Master(m, ids, tables)).ToList();
        return new UnifyConfig(name, keys, tables, ids) { MasterTables = masters };
    }

    static KeyRule Rule(string name, OrderedDictionary<string, object?> map) => new(
        name,
        Text(map, "valid_regexp") is { Length: > 0 } r ? new System.Text.RegularExpressions.Regex(r) : null,
        (map.GetValueOrDefault("invalid_texts") as List<object?> ?? []).OfType<string>().ToHashSet(StringComparer.Ordinal));

    static IdSpec Id(OrderedDictionary<string, object?> map, bool persistent) => new(
        Text(map, "name") ?? Fail("has an id without a name"),
        persistent,
        Strings(map, "merge_by_keys"),
        Strings(map, "source_tables"),
        int.TryParse(Text(map, "merge_iterations"), out var n) ? n : 3,
        Text(map, "do_not_merge_key") is { Length: > 0 } d ? d : null)
    {
        MergeByIds = Strings(map, persistent ? "merge_by_persistent_ids" : "merge_by_canonical_ids"),
        IncrementalMergeIterations = int.TryParse(Text(map, "incremental_merge_iterations"), out var i) ? i : 2,
    };

    /// <summary>The ids an id merges must exist, be of its kind, and not lead back to it.</summary>
    static void CheckMergedIds(List<IdSpec> ids)
    {
        foreach (var id in ids)
            foreach (var other in id.MergeByIds)
                if (ids.FirstOrDefault(i => i.Name == other) is not { } merged || merged.Persistent != id.Persistent)
                    Fail($"lets {id.Name} merge '{other}', which is not a {(id.Persistent ? "persistent" : "canonical")} id of this file");
        foreach (var id in ids)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>(id.MergeByIds);
            while (pending.TryPop(out var name))
            {
                if (name == id.Name) Fail($"lets {id.Name} merge ids that merge {id.Name} again");
                if (seen.Add(name)) foreach (var next in ids.First(i => i.Name == name).MergeByIds) pending.Push(next);
            }
        }
    }

    static MasterTable Master(OrderedDictionary<string, object?> map, List<IdSpec> ids, List<SourceTable> tables)
    {
        var name = Text(map, "name") ?? Fail("has a master table without a name");
        var idName = Text(map, "canonical_id") ?? Text(map, "persistent_id") ?? Fail($"master table {name} names no canonical_id or persistent_id");
        if (ids.All(i => i.Name != idName)) Fail($"master table {name} uses id '{idName}', which is not defined");
        var attributes = Maps(map, "attributes").Select(a =>
        {
            var attr = Text(a, "name") ?? Fail($"master table {name} has an attribute without a name");
            var sourceId = Text(a, "source_canonical_id") ?? Text(a, "source_persistent_id");
            if (sourceId is not null && ids.All(i => i.Name != sourceId)) Fail($"attribute {attr} of {name} reads id '{sourceId}', which is not defined");
            var sources = Maps(a, "source_columns").Select(c =>
            {
                var table = Text(c, "table") ?? Fail($"attribute {attr} of {name} has a source column without table:");
                if (tables.All(t => t.Alias != table && t.Table != table)) Fail($"attribute {attr} of {name} reads table '{table}', which is not under tables:");
                return new AttributeSource(table, Text(c, "column") ?? attr,
                    int.TryParse(Text(c, "priority"), out var p) ? p : 1, Text(c, "order") == "last", Text(c, "order_by"));
            }).ToList();
            return new MasterAttribute(attr, int.TryParse(Text(a, "array_elements"), out var n) ? n : 1, Rule(attr, a), sources, sourceId);
        }).ToList();
        return new MasterTable(name, idName, attributes);
    }

    static IEnumerable<OrderedDictionary<string, object?>> Maps(OrderedDictionary<string, object?> map, string key) =>
        (map.GetValueOrDefault(key) as List<object?> ?? []).OfType<OrderedDictionary<string, object?>>();

    static List<string> Strings(OrderedDictionary<string, object?> map, string key) =>
        (map.GetValueOrDefault(key) as List<object?> ?? []).Select(Template.Render).OfType<string>().ToList();

    static string? Text(OrderedDictionary<string, object?> map, string key) => map.GetValueOrDefault(key) is { } v ? Template.Render(v) : null;

    static string Fail(string what) => throw new CdpException(LocalErrors.BadUnifyConfig, $"The unification config {what}.");
}

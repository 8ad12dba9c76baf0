using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Runner;

namespace CdpSdk.Local.Unification;

internal sealed record KeyRule(string Name, System.Text.RegularExpressions.Regex? Valid, IReadOnlySet<string> Invalid)
{
    /// <summary>TD counts a key value only when it matches valid_regexp (as regexp_like does) and is not an invalid text.</summary>
    public bool Accepts(string value) => !Invalid.Contains(value) && (Valid is null || Valid.IsMatch(value));
}

internal sealed record SourceTable(string Database, string Table, string Alias, IReadOnlyList<(string Column, string Key)> KeyColumns);

internal sealed record IdSpec(string Name, bool Persistent, IReadOnlyList<string> MergeByKeys, IReadOnlyList<string> SourceTables, int MergeIterations);

/// <summary>The parts of TD's unify.yml the Local engine uses, read from the http_call> content.</summary>
internal sealed record UnifyConfig(string Name, IReadOnlyDictionary<string, KeyRule> Keys, IReadOnlyList<SourceTable> Tables, IReadOnlyList<IdSpec> Ids)
{
    public string Database => "cdp_unification_" + Name;

    public static UnifyConfig Parse(OrderedDictionary<string, object?> yml)
    {
        var name = Text(yml, "name") ?? Fail("has no name");
        var keys = Maps(yml, "keys").Select(k => new KeyRule(
            Text(k, "name") ?? Fail("has a key without a name"),
            Text(k, "valid_regexp") is { Length: > 0 } r ? new System.Text.RegularExpressions.Regex(r) : null,
            (k.GetValueOrDefault("invalid_texts") as List<object?> ?? []).OfType<string>().ToHashSet(StringComparer.Ordinal)))
            .ToDictionary(k => k.Name, StringComparer.Ordinal);
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
        return new UnifyConfig(name, keys, tables, ids);
    }

    static IdSpec Id(OrderedDictionary<string, object?> map, bool persistent) => new(
        Text(map, "name") ?? Fail("has an id without a name"),
        persistent,
        (map.GetValueOrDefault("merge_by_keys") as List<object?> ?? []).OfType<string>().ToList(),
        (map.GetValueOrDefault("source_tables") as List<object?> ?? []).OfType<string>().ToList(),
        int.TryParse(Text(map, "merge_iterations"), out var n) ? n : 3);

    static IEnumerable<OrderedDictionary<string, object?>> Maps(OrderedDictionary<string, object?> map, string key) =>
        (map.GetValueOrDefault(key) as List<object?> ?? []).OfType<OrderedDictionary<string, object?>>();

    static string? Text(OrderedDictionary<string, object?> map, string key) => map.GetValueOrDefault(key) is { } v ? Template.Render(v) : null;

    static string Fail(string what) => throw new CdpException(LocalErrors.BadUnifyConfig, $"The unification config {what}.");
}

using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>canonical_ids and persistent_ids: names, merge_by_keys, merging of other ids, iterations, do_not_merge_key and references.</summary>
internal sealed partial class UnifyYmlCheck
{
    static readonly string[] CanonicalFields = ["name", "do_not_merge_key", "merge_by_canonical_ids", "merge_by_keys", "source_tables", "merge_iterations", "incremental_merge_iterations"];
    static readonly string[] PersistentFields = ["name", "merge_by_persistent_ids", "merge_by_keys", "source_tables", "merge_iterations", "incremental_merge_iterations"];

    /// <summary>Checks one section; returns the names it declares.</summary>
    HashSet<string> Ids(YamlTreeMapping top, string section, bool persistent)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var entries = f.Maps(top, section, "the unification");
        var declared = entries.Select(e => e.Get("name")).OfType<YamlTreeScalar>().Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
        var mergeIdsField = persistent ? "merge_by_persistent_ids" : "merge_by_canonical_ids";
        foreach (var id in entries)
        {
            // do_not_merge_key on a persistent id gets its own message rather than "unknown field".
            f.OnlyKnown(id, $"an entry of {section}", persistent ? [.. PersistentFields, "do_not_merge_key"] : CanonicalFields);
            var name = f.Symbol(id, "name", $"an entry of {section}") ?? "";
            if (name.Length > 0 && !names.Add(name)) f.Error("CDP0113", id, $"declares the id '{name}' twice under {section}");
            var what = $"id '{name}'";

            var mergeBy = (f.Strings(id, "merge_by_keys", what) ?? []).Select(k => k.Value ?? "").ToList();
            var mergeByAt = id.Get("merge_by_keys") ?? id;
            if (mergeBy.Count > 64) f.Error("CDP0113", mergeByAt, $"merge_by_keys of {what} has {mergeBy.Count} keys; TD allows at most 64");
            var mergeIds = (f.Strings(id, mergeIdsField, what) ?? []).Select(k => k.Value ?? "").ToList();
            var mergeIdsAt = id.Get(mergeIdsField) ?? id;
            if (mergeIds.Count > 64) f.Error("CDP0113", mergeIdsAt, $"{mergeIdsField} of {what} has {mergeIds.Count} ids; TD allows at most 64");
            if (mergeBy.Count == 0 && mergeIds.Count <= 1 && id.Get("merge_by_keys") is null or YamlTreeSequence or YamlTreeScalar { Plain: true, Value: "" or "~" or "null" })
                f.Error("CDP0113", mergeByAt, $"{what} needs merge_by_keys: the keys that join records, in priority order (only an id merging two or more ids with {mergeIdsField} may have none)");

            foreach (var key in mergeBy.Where(k => !keys.ContainsKey(k) && !UnifyYmlFields.HasVariable(k) && !(persistent && k == "time")))
                f.Error(key == "time" ? "CDP0115" : "CDP0113", mergeByAt, key == "time"
                    ? $"merge_by_keys of canonical id '{name}' cannot use time (only persistent ids can)"
                    : $"merge_by_keys of {what} names '{key}', which is not under keys:");
            if (persistent && mergeBy.Count(k => k == "time") > 1)
                f.Error("CDP0115", mergeByAt, $"merge_by_keys of {what} may name time only once");
            else if (persistent && mergeBy.Contains("time") && mergeIds.Count > 0)
                f.Error("CDP0115", mergeByAt, $"merge_by_keys of {what} names time, which TD does not allow together with merge_by_persistent_ids");
            // TD's validator lists this under VALIDATION WARNINGS: an id that ignores a key is legal and sometimes meant.
            var unused = keys.Keys.Where(k => !mergeBy.Contains(k)).Order(StringComparer.Ordinal).ToList();
            if (unused.Count > 0 && keys.Count > 0)
                f.Warning("CDP0121", mergeByAt, $"merge_by_keys of {what} does not use every key (missing: {string.Join(", ", unused)}); TD's validator warns that the unification may be incomplete");

            f.Number(id, "merge_iterations", what, 1, 49, "CDP0113");
            f.Number(id, "incremental_merge_iterations", what, 1, 49, "CDP0113");

            if (persistent && id.Get("do_not_merge_key") is { } dnmAt)
                f.Error("CDP0114", dnmAt, $"persistent id '{name}' cannot have do_not_merge_key (only canonical ids can)");
            else if (f.Text(id, "do_not_merge_key", what) is { } dnm)
            {
                if (dnm.Length is 0 or > 64)
                    f.Error("CDP0114", id.Get("do_not_merge_key")!, $"do_not_merge_key of {what} has {dnm.Length} characters; TD needs 1 to 64");
                else if (mergeBy.Count > 0 && mergeBy[0] != dnm)
                    f.Error("CDP0114", id.Get("do_not_merge_key")!, $"do_not_merge_key '{dnm}' of {what} must be the first of its merge_by_keys (now '{mergeBy[0]}')");
            }

            foreach (var (at, table) in f.Strings(id, "source_tables", what) ?? [])
                if (table is not null && !tables.ContainsKey(table) && !UnifyYmlFields.HasVariable(table))
                    f.Error("CDP0115", at, $"source_tables of {what} names '{table}', which is not under tables: (use its as: name)");
            foreach (var other in mergeIds.Where(o => !declared.Contains(o)))
                f.Error("CDP0115", mergeIdsAt, $"{mergeIdsField} of {what} names '{other}', which is not under {section}:");
        }
        return names;
    }
}

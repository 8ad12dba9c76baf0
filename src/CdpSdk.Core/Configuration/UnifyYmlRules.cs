using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// TD's unify.yml rules beyond the basic shape UnifyYmlReader needs: key rules, references between the
/// sections, id settings and master tables, each reported at the line of the offending entry. These are
/// the rules TD's unification API applies when the workflow calls it, so a mistake is found at build time
/// instead of after ingestion, hist-union and staging have run.
/// </summary>
internal static class UnifyYmlRules
{
    /// <summary>Reports what TD would refuse; false when the file has duplicate keys and cannot be read further.</summary>
    public static bool Check(ReadContext ctx, string path, string text)
    {
        var (root, problems) = YamlTree.Parse(text);
        foreach (var p in problems.Where(p => p.DuplicateKey))
            ctx.Error("CDP0103", $"unify.yml {p.Message}: TD refuses duplicate keys.", new SourceLocation(path, p.Line, p.Column));
        if (problems.Any(p => p.DuplicateKey)) return false;
        if (root is YamlTreeMapping top) new Rules(ctx, path).Run(top);
        return true;
    }

    sealed class Rules(ReadContext ctx, string path)
    {
        void Error(string code, YamlTreeNode at, string message) => ctx.Error(code, "unify.yml " + message + ".", new SourceLocation(path, at.Line, at.Column));

        public void Run(YamlTreeMapping top)
        {
            if (Text(top, "name") is not { } name || !NameRules.IsSymbol(name))
                Error("CDP0117", top.Get("name") ?? top, $"name '{Text(top, "name")}' must be a SQL symbol (letters, digits, underscore; not starting with a digit)");

            var keys = Keys(top);
            var tables = Tables(top, keys);
            var canonical = Ids(top, "canonical_ids", keys, tables, persistent: false);
            var persistent = Ids(top, "persistent_ids", keys, tables, persistent: true);
            foreach (var (key, at) in keys.Where(k => tables.Values.All(used => !used.Contains(k.Key))))
                Error("CDP0111", at, $"declares key '{key}', which no table's key_columns uses (TD rejects unused keys)");
            MasterTables(top, tables, canonical, persistent);
        }

        /// <summary>keys: unique SQL symbols, valid_regexp of at most 512 characters that compiles, at most 127 invalid_texts.</summary>
        Dictionary<string, YamlTreeNode> Keys(YamlTreeMapping top)
        {
            var keys = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
            foreach (var k in Maps(top, "keys"))
            {
                var name = Text(k, "name") ?? "";
                if (name.Length > 0 && !keys.TryAdd(name, k)) Error("CDP0110", k, $"declares key '{name}' twice");
                if (Text(k, "valid_regexp") is { } regexp && (regexp.Length > 512 || !IsRegex(regexp)))
                    Error("CDP0110", k.Get("valid_regexp")!, $"valid_regexp of key '{name}' must be a regular expression of at most 512 characters");
                if (k.Get("invalid_texts") is YamlTreeSequence { Items.Count: > 127 } texts)
                    Error("CDP0110", texts, $"invalid_texts of key '{name}' has {texts.Items.Count} entries; TD allows at most 127");
            }
            return keys;
        }

        /// <summary>tables: database and table given, unique by their 'as' name; returns each table's keys by its name.</summary>
        Dictionary<string, HashSet<string>> Tables(YamlTreeMapping top, Dictionary<string, YamlTreeNode> keys)
        {
            var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var t in Maps(top, "tables"))
            {
                var table = Text(t, "table") ?? "";
                if (table.Length == 0 || (Text(t, "database") ?? "").Length == 0)
                    Error("CDP0112", t, "has a table entry without database: and table:");
                var alias = Text(t, "as") ?? table;
                if (alias.Length > 0 && !tables.TryAdd(alias, []))
                    Error("CDP0112", t, $"lists table '{alias}' twice; give one of them another name with as:");
                if (t.Get("incremental_columns") is { } inc and not YamlTreeSequence)
                    Error("CDP0112", inc, $"incremental_columns of table '{alias}' must be a list, e.g. [time]");
                if (tables.TryGetValue(alias, out var used))
                    foreach (var c in Maps(t, "key_columns"))
                        if (Text(c, "key") is { } key) used.Add(key);
            }
            return tables;
        }

        /// <summary>canonical_ids / persistent_ids: names, merge_by_keys, iterations, do_not_merge_key and references.</summary>
        HashSet<string> Ids(YamlTreeMapping top, string section, Dictionary<string, YamlTreeNode> keys, Dictionary<string, HashSet<string>> tables, bool persistent)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var entries = Maps(top, section).ToList();
            foreach (var id in entries)
                if (Text(id, "name") is { } n && !names.Add(n)) Error("CDP0113", id, $"declares the id '{n}' twice under {section}");
            foreach (var id in entries)
            {
                var name = Text(id, "name") ?? "";
                if (!NameRules.IsSymbol(name)) Error("CDP0113", id, $"{section} entry '{name}' needs a name that is a SQL symbol");
                var mergeBy = Strings(id, "merge_by_keys");
                var mergeIdsKey = persistent ? "merge_by_persistent_ids" : "merge_by_canonical_ids";
                if (mergeBy.Count == 0 && Strings(id, mergeIdsKey).Count <= 1) Error("CDP0113", id, $"id '{name}' needs merge_by_keys: the keys that join records, in priority order");
                foreach (var key in mergeBy.Where(k => !keys.ContainsKey(k) && !(persistent && k == "time")))
                    Error("CDP0113", id.Get("merge_by_keys")!, $"merge_by_keys of id '{name}' names '{key}', which is not under keys:");
                if (mergeBy.Count(k => k == "time") > (persistent ? 1 : 0))
                    Error("CDP0115", id.Get("merge_by_keys")!, persistent ? $"merge_by_keys of id '{name}' may name time only once" : $"merge_by_keys of canonical id '{name}' cannot use time (only persistent ids can)");
                foreach (var setting in new[] { "merge_iterations", "incremental_merge_iterations" })
                    if (Text(id, setting) is { } text && (!int.TryParse(text, out var n) || n is < 1 or > 49))
                        Error("CDP0113", id.Get(setting)!, $"{setting} of id '{name}' must be a whole number from 1 to 49");
                if (Text(id, "do_not_merge_key") is { } dnm)
                {
                    if (persistent) Error("CDP0114", id.Get("do_not_merge_key")!, $"persistent id '{name}' cannot have do_not_merge_key (only canonical ids can)");
                    else if (mergeBy.FirstOrDefault() != dnm) Error("CDP0114", id.Get("do_not_merge_key")!, $"do_not_merge_key '{dnm}' of id '{name}' must be the first of its merge_by_keys");
                }
                foreach (var table in Strings(id, "source_tables").Where(t => !tables.ContainsKey(t)))
                    Error("CDP0115", id.Get("source_tables")!, $"source_tables of id '{name}' names '{table}', which is not under tables: (use its as: name)");
                var mergeIds = persistent ? "merge_by_persistent_ids" : "merge_by_canonical_ids";
                foreach (var other in Strings(id, mergeIds).Where(o => !entries.Any(e => Text(e, "name") == o)))
                    Error("CDP0115", id.Get(mergeIds)!, $"{mergeIds} of id '{name}' names '{other}', which is not under {section}:");
            }
            return names;
        }

        /// <summary>master_tables: one id each, unique attribute names, 1 to 10 array elements, source columns of known tables.</summary>
        void MasterTables(YamlTreeMapping top, Dictionary<string, HashSet<string>> tables, HashSet<string> canonical, HashSet<string> persistent)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in Maps(top, "master_tables"))
            {
                var name = Text(m, "name") ?? "";
                if (!NameRules.IsSymbol(name) || !names.Add(name)) Error("CDP0116", m, $"master table '{name}' needs a unique name that is a SQL symbol");
                var (c, p) = (Text(m, "canonical_id"), Text(m, "persistent_id"));
                if ((c is null) == (p is null)) Error("CDP0116", m, $"master table '{name}' must name exactly one of canonical_id and persistent_id");
                else if (c is not null && !canonical.Contains(c)) Error("CDP0116", m.Get("canonical_id")!, $"master table '{name}' names canonical_id '{c}', which is not under canonical_ids:");
                else if (p is not null && !persistent.Contains(p)) Error("CDP0116", m.Get("persistent_id")!, $"master table '{name}' names persistent_id '{p}', which is not under persistent_ids:");
                var attributes = new HashSet<string>(StringComparer.Ordinal);
                foreach (var a in Maps(m, "attributes"))
                {
                    var attribute = Text(a, "name") ?? "";
                    if (!NameRules.IsSymbol(attribute) || !attributes.Add(attribute))
                        Error("CDP0116", a, $"attribute '{attribute}' of master table '{name}' needs a unique name that is a SQL symbol");
                    if (Text(a, "array_elements") is { } n && (!int.TryParse(n, out var count) || count is < 1 or > 10))
                        Error("CDP0116", a.Get("array_elements")!, $"array_elements of attribute '{attribute}' must be from 1 to 10");
                    if (Text(a, "valid_regexp") is { } regexp && (regexp.Length > 512 || !IsRegex(regexp)))
                        Error("CDP0116", a.Get("valid_regexp")!, $"valid_regexp of attribute '{attribute}' must be a regular expression of at most 512 characters");
                    var sources = Maps(a, "source_columns").ToList();
                    var fromId = Text(a, "source_canonical_id") ?? Text(a, "source_persistent_id");
                    if (sources.Count == 0 && fromId is null) Error("CDP0116", a, $"attribute '{attribute}' of master table '{name}' needs source_columns");
                    foreach (var s in sources)
                    {
                        if (Text(s, "table") is not { } table || !tables.ContainsKey(table))
                            Error("CDP0116", s, $"a source column of attribute '{attribute}' names table '{Text(s, "table")}', which is not under tables:");
                        // Without column: TD reads the column named like the attribute (TD's own samples rely on it).
                        if (Text(s, "priority") is { } prio && (!int.TryParse(prio, out var pr) || pr < 1))
                            Error("CDP0116", s.Get("priority")!, $"priority of a source column of attribute '{attribute}' must be 1 or more");
                        if (Text(s, "order") is { } order && order is not ("first" or "last"))
                            Error("CDP0116", s.Get("order")!, $"order of a source column of attribute '{attribute}' must be first or last");
                    }
                }
            }
        }
    }

    static IEnumerable<YamlTreeMapping> Maps(YamlTreeMapping map, string key) =>
        map.Get(key) is YamlTreeSequence s ? s.Items.OfType<YamlTreeMapping>() : [];

    static string? Text(YamlTreeMapping map, string key) => map.Get(key) is YamlTreeScalar s ? s.Value : null;

    static List<string> Strings(YamlTreeMapping map, string key) =>
        map.Get(key) is YamlTreeSequence s ? s.Items.OfType<YamlTreeScalar>().Select(x => x.Value).ToList()
        : map.Get(key) is YamlTreeScalar one && one.Value.Length > 0 ? [one.Value] : [];

    static bool IsRegex(string pattern)
    {
        try { _ = new System.Text.RegularExpressions.Regex(pattern); return true; }
        catch (ArgumentException) { return false; }
    }
}

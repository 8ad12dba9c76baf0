using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// TD's unify.yml rules, each reported at the line of the offending entry: the limits and YAML types of TD's
/// validator (treasure-boxes tool-box/unification-validator), the references between the sections, and the
/// fields TD knows. These are the rules TD's unification API applies when the workflow calls it, so a mistake
/// is found at build time instead of after ingestion, hist-union and staging have run. Where TD itself runs
/// a file its validator flags (a master source column without column:, duplicate priorities), the finding is
/// a warning naming TD's rule. docs/errors.md lists where these rules deliberately differ from the validator.
/// </summary>
internal static class UnifyYmlRules
{
    /// <summary>Reports what TD would refuse; returns the file's root mapping when it could be read as one.</summary>
    public static YamlTreeMapping? Check(ReadContext ctx, string path, string text)
    {
        var (root, problems) = YamlTree.Parse(text);
        // The parser reports a list left open at the end of the file one line past it.
        var lastLine = Math.Max(1, text.TrimEnd('\n', '\r').Split('\n').Length);
        foreach (var p in problems)
            if (p.DuplicateKey) ctx.Error("CDP0103", $"unify.yml {p.Message}: TD refuses duplicate keys.", new SourceLocation(path, p.Line, p.Column));
            else ctx.Error("CDP0081", $"UnifyYml is not valid YAML: {p.Message}", new SourceLocation(path, Math.Clamp(p.Line, 1, lastLine), Math.Max(1, p.Column)));
        if (problems.Count > 0) return null;
        if (root is not YamlTreeMapping top)
        {
            ctx.Error("CDP0082", "unify.yml is not a YAML mapping: TD needs name:, keys:, tables: and canonical_ids: or persistent_ids: at the top.",
                new SourceLocation(path, root?.Line ?? 1, root?.Column ?? 1));
            return null;
        }
        var fields = new UnifyYmlFields(ctx, path);
        new UnifyYmlCheck(fields).Run(top);
        return fields.HasErrors ? null : top;
    }
}

/// <summary>One run of the rules over a file; the sections in the order TD's loader reads them.</summary>
internal sealed partial class UnifyYmlCheck(UnifyYmlFields f)
{
    static readonly string[] TopFields = ["name", "keys", "tables", "canonical_ids", "persistent_ids", "master_tables"];
    static readonly string[] KeyFields = ["name", "valid_regexp", "invalid_texts"];
    static readonly string[] TableFields = ["database", "table", "as", "incremental_columns", "key_columns"];
    static readonly string[] KeyColumnFields = ["column", "key"];

    /// <summary>Key names to the entry declaring them.</summary>
    readonly Dictionary<string, YamlTreeNode> keys = new(StringComparer.Ordinal);

    /// <summary>Table names (as: name, else table:) to the keys their key_columns use.</summary>
    readonly Dictionary<string, HashSet<string>> tables = new(StringComparer.Ordinal);

    public void Run(YamlTreeMapping top)
    {
        f.OnlyKnown(top, "the top level", TopFields);
        if (top.Get("name") is YamlTreeScalar n && Yaml11Scalar.IsNull(n))
            f.Error("CDP0105", n, "name is null; TD needs the unification's name, a SQL symbol such as customer_360");
        else f.Symbol(top, "name", "the unification");

        Keys(top);
        Tables(top);
        foreach (var (key, at) in keys.Where(k => tables.Values.All(used => !used.Contains(k.Key))))
            f.Error("CDP0111", at, $"declares key '{key}', which no table's key_columns uses (TD rejects unused keys)");
        var canonical = Ids(top, "canonical_ids", persistent: false);
        var persistent = Ids(top, "persistent_ids", persistent: true);
        if (canonical.Count + persistent.Count == 0 && top.Get("canonical_ids") is not YamlTreeSequence { Items.Count: > 0 } && top.Get("persistent_ids") is not YamlTreeSequence { Items.Count: > 0 })
            f.Error("CDP0113", top, "declares neither canonical_ids nor persistent_ids: TD needs at least one id");
        MasterTables(top, canonical, persistent);
    }

    /// <summary>keys: at least one; SQL symbol names, once each; valid_regexp of 1 to 512 characters that compiles; at most 127 invalid_texts.</summary>
    void Keys(YamlTreeMapping top)
    {
        var entries = f.Maps(top, "keys", "the unification");
        if (entries.Count == 0 && top.Get("keys") is not YamlTreeSequence { Items.Count: > 0 })
            f.Error("CDP0110", top.Get("keys") ?? top, "has no keys: TD needs at least one entry under keys:, e.g. - name: email");
        foreach (var k in entries)
        {
            f.OnlyKnown(k, "a key", KeyFields);
            var name = f.Symbol(k, "name", "a key") ?? "";
            var what = $"key '{name}'";
            if (name.Length > 0 && !keys.TryAdd(name, k)) f.Error("CDP0110", k, $"declares key '{name}' twice");
            Regexp(k, what, "CDP0110");
            InvalidTexts(k, what, "CDP0110");
        }
    }

    /// <summary>valid_regexp: 1 to 512 characters (TD's limits), and a regular expression (ours: TD would fail at run time).</summary>
    void Regexp(YamlTreeMapping map, string what, string code)
    {
        if (f.Text(map, "valid_regexp", what) is not { } regexp) return;
        var at = map.Get("valid_regexp")!;
        if (regexp.Length is 0 or > 512)
            f.Error(code, at, $"valid_regexp of {what} has {regexp.Length} characters; TD needs 1 to 512 (leave valid_regexp out to accept every value)");
        else if (!IsRegex(regexp))
            f.Error(code, at, $"valid_regexp of {what} is not a regular expression");
    }

    /// <summary>invalid_texts: a list of strings (null entries allowed) of at most 127 entries; an empty list means none.</summary>
    void InvalidTexts(YamlTreeMapping map, string what, string code)
    {
        if (f.Strings(map, "invalid_texts", what, nullItems: true) is { Count: > 127 } texts)
            f.Error(code, map.Get("invalid_texts")!, $"invalid_texts of {what} has {texts.Count} entries; TD allows at most 127");
    }

    /// <summary>tables: at least one; database, table and as are SQL symbols; 1 to 32 key_columns of declared keys; at most 127 incremental_columns.</summary>
    void Tables(YamlTreeMapping top)
    {
        var entries = f.Maps(top, "tables", "the unification");
        if (entries.Count == 0 && top.Get("tables") is not YamlTreeSequence { Items.Count: > 0 })
            f.Error("CDP0112", top.Get("tables") ?? top, "has no tables: TD needs at least one entry under tables:");
        var tableNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in entries)
        {
            f.OnlyKnown(t, "a table", TableFields);
            var database = f.Symbol(t, "database", "a table", required: false);
            var table = f.Symbol(t, "table", "a table", required: false);
            if (database is null && t.Get("database") is null || table is null && t.Get("table") is null)
                f.Error("CDP0112", t, "has a table entry without database: and table:");
            var alias = f.Symbol(t, "as", $"table '{table}'", required: false) ?? table ?? "";
            var what = $"table '{alias}'";
            if (alias.Length > 0 && !tables.TryAdd(alias, []))
                f.Error("CDP0112", t, $"lists table '{alias}' twice; give one of them another name with as:");
            // Ours: the generated prep and enrich files and enriched_<table> are named by table, so one table name may appear once.
            else if (table is { Length: > 0 } && tableNames.TryGetValue(table, out var first))
                f.Error("CDP0112", t, $"lists table '{table}' a second time (as '{alias}', first as '{first}'); the SDK names its generated files and enriched tables by table name, so unify each table once");
            if (table is { Length: > 0 }) tableNames.TryAdd(table, alias);

            if (f.Strings(t, "incremental_columns", what) is { Count: > 127 } inc)
                f.Error("CDP0112", t.Get("incremental_columns")!, $"incremental_columns of {what} has {inc.Count} entries; TD allows at most 127");

            var columns = f.Maps(t, "key_columns", what);
            var listed = t.Get("key_columns");
            if (listed is YamlTreeSequence seq ? seq.Items.Count is 0 or > 32 : listed is null || listed is YamlTreeScalar s && Yaml11Scalar.IsNull(s))
                f.Error("CDP0112", listed ?? t, $"{what} has {(listed as YamlTreeSequence)?.Items.Count ?? 0} key_columns; TD needs 1 to 32");
            foreach (var c in columns)
            {
                f.OnlyKnown(c, $"a key column of {what}", KeyColumnFields);
                f.Symbol(c, "column", $"a key column of {what}");
                var key = f.Symbol(c, "key", $"a key column of {what}");
                if (key is null) continue;
                if (!keys.ContainsKey(key) && !UnifyYmlFields.HasVariable(key))
                    f.Error("CDP0115", c.Get("key")!, $"{what} uses key '{key}', which is not declared under keys:");
                if (tables.TryGetValue(alias, out var used)) used.Add(key);
            }
        }
    }

    static bool IsRegex(string pattern)
    {
        try { _ = new System.Text.RegularExpressions.Regex(pattern); return true; }
        catch (ArgumentException) { return false; }
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Reads an existing TD unify.yml (CdpUnification UnifyYml="…") into the model with TD's meaning, after
/// UnifyYmlRules reported what TD would reject with the file's own line numbers. The model is built from the
/// same parsed tree the rules checked, so a file the rules pass cannot fail here.
/// </summary>
internal static class UnifyYmlReader
{
    public static UnificationSpec Read(ReadContext ctx, string name, string path, SourceLocation itemAt)
    {
        var empty = new UnificationSpec { Name = name, UnifyYmlPath = path, At = itemAt };
        if (!File.Exists(path))
        {
            ctx.Error("CDP0080", $"UnifyYml '{path}' of CdpUnification '{name}' does not exist.", itemAt);
            return empty;
        }
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Error("CDP0080", $"UnifyYml '{path}' of CdpUnification '{name}' cannot be read: {e.Message}", itemAt);
            return empty;
        }
        if (UnifyYmlRules.Check(ctx, path, text) is not { } root) return empty;

        var keys = Maps(root, "keys").Select(k => new UnifyKey(Text(k, "name"), Text(k, "valid_regexp"),
            Strings(k, "invalid_texts"))).ToList();
        var tables = Maps(root, "tables").Select(t => new UnifyTable(Text(t, "database"), Text(t, "table"),
            Maps(t, "key_columns").Select(c => new KeyColumn(Text(c, "column"), Text(c, "key"))).ToList()) { As = Text(t, "as") }).ToList();
        var persistent = Maps(root, "persistent_ids").ToList();
        var canonical = Maps(root, "canonical_ids").ToList();

        // The id the pipeline validates is the file's first one: its name is the enriched tables' id column,
        // and its merge_iterations (TD's default 3 when absent) is the loop count that applies.
        var first = persistent.Count > 0 ? persistent[0] : canonical[0];
        var idName = Text(first, "name");
        var iterations = first.Get("merge_iterations") is YamlTreeScalar s && Yaml11Scalar.TryWholeNumber(s, out var n) ? (int)n : 3;

        var yamlName = Text(root, "name");
        return empty with
        {
            Name = NameRules.IsSymbol(yamlName) ? yamlName.ToLowerInvariant() : name,
            Keys = keys,
            Tables = tables,
            IdMethod = persistent.Count > 0 ? IdMethod.PersistentId : IdMethod.CanonicalId,
            IdName = NameRules.IsSymbol(idName) ? idName : "td_id",
            MergeIterations = iterations,
            MasterAttributes = MasterAttributes(root),
        };
    }

    /// <summary>
    /// Attributes read from source columns, with TD's defaults: the column named like the attribute when
    /// column: is left out (as TD's samples do), priority 1, order first. Attributes copied from another id
    /// (source_canonical_id / source_persistent_id) have no source columns and are left to TD's engine.
    /// </summary>
    static IReadOnlyList<MasterAttributeSpec> MasterAttributes(YamlTreeMapping root) =>
        Maps(root, "master_tables").SelectMany(m => Maps(m, "attributes")
            .Where(a => Maps(a, "source_columns").Any())
            .Select(a => new MasterAttributeSpec(Text(m, "name"), Text(a, "name"),
                a.Get("array_elements") is YamlTreeScalar e && Yaml11Scalar.TryWholeNumber(e, out var n) ? (int)n : 1,
                Text(a, "valid_regexp"), Strings(a, "invalid_texts"),
                Maps(a, "source_columns").Select(c => new MasterSourceColumn(Text(c, "table"),
                    Text(c, "column") is { Length: > 0 } column ? column : Text(a, "name"),
                    c.Get("priority") is YamlTreeScalar p && Yaml11Scalar.TryWholeNumber(p, out var prio) ? (int)prio : 1,
                    Text(c, "order") is { Length: > 0 } order ? order : "first", Text(c, "order_by"))).ToList()))).ToList();

    static IEnumerable<YamlTreeMapping> Maps(YamlTreeMapping map, string key) =>
        map.Get(key) is YamlTreeSequence s ? s.Items.OfType<YamlTreeMapping>() : [];

    static string Text(YamlTreeMapping map, string key) =>
        map.Get(key) is YamlTreeScalar s && !Yaml11Scalar.IsNull(s) ? s.Value : "";

    /// <summary>A list of strings; a null entry (TD allows one in invalid_texts) is left out: a missing value never identifies anyone anyway.</summary>
    static List<string> Strings(YamlTreeMapping map, string key) =>
        map.Get(key) is YamlTreeSequence s ? s.Items.OfType<YamlTreeScalar>().Where(x => !Yaml11Scalar.IsNull(x)).Select(x => x.Value).ToList() : [];
}

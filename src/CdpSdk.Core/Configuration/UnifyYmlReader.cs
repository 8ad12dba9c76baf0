using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Reads an existing TD unify.yml (CdpUnification UnifyYml="…") into the model, reporting what TD
/// would reject with the file's own line numbers.
/// </summary>
internal static class UnifyYmlReader
{
    public static UnificationSpec Read(ReadContext ctx, string name, string path, SourceLocation itemAt)
    {
        var empty = new UnificationSpec(name, IdMethod.PersistentId, UpdateStrategy.Incremental, "td_id", 3, path, [], [], itemAt);
        if (!File.Exists(path))
        {
            ctx.Error("CDP0080", $"UnifyYml '{path}' of CdpUnification '{name}' does not exist.", itemAt);
            return empty;
        }
        // TD's rules first: they also report duplicate keys, which the YAML library below refuses without a useful line.
        if (!UnifyYmlRules.Check(ctx, path, File.ReadAllText(path))) return empty;
        YamlMappingNode root;
        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode ?? throw new YamlException("the file is not a YAML mapping");
        }
        catch (YamlException e)
        {
            ctx.Error("CDP0081", $"UnifyYml is not valid YAML: {e.Message}", new SourceLocation(path, (int)e.Start.Line, (int)e.Start.Column));
            return empty;
        }

        var keys = Sequence(root, "keys").Select(k => new UnifyKey(Scalar(k, "name"), Scalar(k, "valid_regexp"),
            Sequence(k, "invalid_texts").OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList())).ToList();
        var tables = Sequence(root, "tables").Select(t => new UnifyTable(Scalar(t, "database"), Scalar(t, "table"),
            Sequence(t, "key_columns").Select(c => new KeyColumn(Scalar(c, "column"), Scalar(c, "key"))).ToList())).ToList();

        if (keys.Count == 0) Fail(ctx, path, root, "has no keys: TD needs at least one entry under keys:");
        if (tables.Count == 0) Fail(ctx, path, root, "has no tables: TD needs at least one entry under tables:");
        foreach (var k in keys.Where(k => !NameRules.IsSymbol(k.Name)))
            Fail(ctx, path, root, $"key name '{k.Name}' is not a SQL symbol");
        foreach (var t in tables)
        {
            if (t.KeyColumns.Count is 0 or > 32) Fail(ctx, path, root, $"table '{t.Table}' must have 1 to 32 key_columns");
            foreach (var c in t.KeyColumns.Where(c => keys.All(k => k.Name != c.Key)))
                Fail(ctx, path, root, $"table '{t.Table}' uses key '{c.Key}', which is not declared under keys:");
        }
        var persistent = Sequence(root, "persistent_ids").ToList();
        var canonical = Sequence(root, "canonical_ids").ToList();
        if (persistent.Count + canonical.Count == 0) Fail(ctx, path, root, "declares neither canonical_ids nor persistent_ids");

        // The id the pipeline validates is the file's first one: its name is the enriched tables' id column.
        var first = persistent.Count > 0 ? persistent[0] : canonical.FirstOrDefault();
        var idName = first is null ? "" : Scalar(first, "name");
        if (first is not null && !NameRules.IsSymbol(idName)) Fail(ctx, path, first, $"id name '{idName}' is not a SQL symbol");
        var iterations = first is not null && int.TryParse(Scalar(first, "merge_iterations"), out var n) ? n : 3;

        var yamlName = Scalar(root, "name");
        return empty with
        {
            Name = yamlName.Length > 0 && NameRules.IsSymbol(yamlName) ? yamlName.ToLowerInvariant() : name,
            Keys = keys,
            Tables = tables,
            IdMethod = persistent.Count > 0 ? IdMethod.PersistentId : IdMethod.CanonicalId,
            IdName = NameRules.IsSymbol(idName) ? idName : "td_id",
            MergeIterations = iterations,
        };
    }

    static void Fail(ReadContext ctx, string path, YamlNode at, string what) =>
        ctx.Error("CDP0082", $"unify.yml {what}.", new SourceLocation(path, (int)at.Start.Line, (int)at.Start.Column));

    static IEnumerable<YamlNode> Sequence(YamlNode node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlSequenceNode s ? s.Children : [];

    static string Scalar(YamlNode node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value ?? "" : "";
}

using System.Globalization;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads CdpUnification, CdpUnificationKey and CdpUnificationTable items (or an existing unify.yml).</summary>
internal static partial class UnificationReader
{
    static readonly Dictionary<string, IdMethod> Methods = new() { ["persistent_id"] = IdMethod.PersistentId, ["canonical_id"] = IdMethod.CanonicalId };
    static readonly Dictionary<string, UpdateStrategy> Strategies = new() { ["incremental"] = UpdateStrategy.Incremental, ["full"] = UpdateStrategy.Full };

    /// <summary>A plain email shape; TD's samples use the same idea.</summary>
    public const string EmailRegexp = ".*@.*";

    public static IReadOnlyList<UnificationSpec> Read(ReadContext ctx, IReadOnlyList<StagingTableSpec> staging)
    {
        var items = ctx.Project.ItemsOf("CdpUnification").ToList();
        if (items.Count == 0)
        {
            ctx.Error("CDP0078", "No CdpUnification item: declare one, e.g. <CdpUnification Include=\"customer_360\" />.", new(ctx.Project.ProjectFile));
            return [];
        }
        var keyItems = ctx.Project.ItemsOf("CdpUnificationKey").ToList();
        var tableItems = ctx.Project.ItemsOf("CdpUnificationTable").ToList();
        var masterItems = ctx.Project.ItemsOf(MasterAttributeItem).ToList();
        var names = items.Select(i => i.Identity).ToList();

        var result = new List<UnificationSpec>();
        foreach (var item in items)
        {
            var name = item.Identity;
            if (!NameRules.IsSymbol(name) || name != name.ToLowerInvariant())
                ctx.Error("CDP0070", $"CdpUnification '{name}' is not a valid name: use lowercase letters, digits and underscore (it names database cdp_unification_{name.ToLowerInvariant()}).", item.Location);
            if (result.Any(u => u.Name == name))
                ctx.Error("CDP0070", $"CdpUnification '{name}' is declared twice.", item.Location);

            var method = ctx.ParseChoice(item.Get("IdMethod"), IdMethod.PersistentId, Methods, "CDP0071", $"IdMethod of CdpUnification '{name}'", item.Location);
            var strategy = ctx.ParseChoice(item.Get("UpdateStrategy"), UpdateStrategy.Incremental, Strategies, "CDP0072", $"UpdateStrategy of CdpUnification '{name}'", item.Location);
            var idName = item.Get("IdName") is { Length: > 0 } n ? n : "td_id";
            if (!NameRules.IsSymbol(idName))
                ctx.Error("CDP0070", $"IdName '{idName}' of CdpUnification '{name}' is not a column name.", item.Location);
            var iterations = 3;
            var iterText = item.Get("MergeIterations");
            if (iterText.Length > 0 && (!int.TryParse(iterText, NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations is < 1 or > 49))
                ctx.Error("CDP0073", $"MergeIterations '{iterText}' of CdpUnification '{name}' must be a whole number from 1 to 49 (TD's limit).", item.Location);

            var ymlPath = item.Get("UnifyYml");
            // With an existing unify.yml, the yml decides keys, tables and master tables: items for them would silently do nothing.
            if (ymlPath.Length > 0)
                foreach (var ignored in keyItems.Concat(tableItems).Concat(masterItems).Where(i => Owner(ctx, i, names, report: false) == name))
                    ctx.Warning("CDP0079", $"{ignored.ItemType} '{ignored.Identity}' is ignored: CdpUnification '{name}' uses the existing {ymlPath}, which decides its keys, tables and master tables. Put it in the yml, or remove UnifyYml to generate unify.yml from the items.", ignored.Location);
            var spec = ymlPath.Length > 0
                ? UnifyYmlReader.Read(ctx, name, Path.GetFullPath(Path.Combine(ctx.Project.ProjectDirectory, ymlPath)), item.Location)
                : FromItems(ctx, name, names, keyItems, tableItems, staging, item.Location);
            // An existing unify.yml is used as is: its ids decide the id method, name and iterations.
            if (ymlPath.Length > 0 && iterText.Length > 0)
                ctx.Warning("CDP0122", $"MergeIterations '{iterText}' of CdpUnification '{name}' is ignored: {ymlPath} decides the loop count, and its merge_iterations applies ({spec.MergeIterations}" +
                    (spec.MergeIterations == 3 ? ", TD's default when the file sets none" : "") + "). Set merge_iterations in the yml, or remove MergeIterations.", item.Location);
            result.Add(ymlPath.Length > 0
                ? spec with { UpdateStrategy = strategy, UnifyYmlPath = ymlPath }
                : spec with { IdMethod = method, UpdateStrategy = strategy, IdName = idName, MergeIterations = iterations, UnifyYmlPath = ymlPath,
                    MasterAttributes = MasterAttributes(ctx, spec, names, masterItems) });
        }

        foreach (var orphan in keyItems.Concat(tableItems).Concat(masterItems).Where(i => Owner(ctx, i, names, report: false) is null))
            Owner(ctx, orphan, names, report: true);
        return result;
    }

    static UnificationSpec FromItems(ReadContext ctx, string name, List<string> names, List<RawItem> keyItems, List<RawItem> tableItems, IReadOnlyList<StagingTableSpec> staging, SourceLocation at)
    {
        var keys = new List<UnifyKey>();
        foreach (var k in keyItems.Where(k => Owner(ctx, k, names, report: false) == name))
        {
            if (!NameRules.IsSymbol(k.Identity))
                ctx.Error("CDP0074", $"CdpUnificationKey '{k.Identity}' is not a valid key name (a SQL symbol).", k.Location);
            if (keys.Any(x => x.Name == k.Identity))
                ctx.Error("CDP0074", $"CdpUnificationKey '{k.Identity}' is declared twice for unification '{name}'.", k.Location);
            var regexp = k.Get("ValidRegexp");
            if (NameRules.SplitList(k.Get("InvalidTexts")).Count > 127)
                ctx.Error("CDP0074", $"InvalidTexts of CdpUnificationKey '{k.Identity}' lists {NameRules.SplitList(k.Get("InvalidTexts")).Count} values; TD allows at most 127.", k.Location);
            if (regexp.Length > 512 || !IsRegex(regexp))
                ctx.Error("CDP0074", $"ValidRegexp of CdpUnificationKey '{k.Identity}' is not a valid regular expression of at most 512 characters.", k.Location);
            keys.Add(new UnifyKey(k.Identity, regexp, NameRules.SplitList(k.Get("InvalidTexts"))));
        }

        var tables = new List<UnifyTable>();
        foreach (var t in tableItems.Where(t => Owner(ctx, t, names, report: false) == name))
        {
            var db = t.Get("Database") is { Length: > 0 } d ? d : ctx.Project.Property("CdpStagingDatabase") is { Length: > 0 } s ? s : staging.FirstOrDefault()?.Database ?? "";
            // Both names reach unify.yml and the generated prep and enrich SQL; TD's unify.yml needs SQL symbols.
            if (!NameRules.IsSymbol(t.Identity))
                ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' is not a table name TD's unify.yml accepts (a SQL symbol: letters, digits and underscore, not starting with a digit).", t.Location);
            if (db.Length > 0 && !NameRules.IsSymbol(db))
                ctx.Error("CDP0075", $"Database '{db}' of CdpUnificationTable '{t.Identity}' is not a database name TD's unify.yml accepts (a SQL symbol: letters, digits and underscore, not starting with a digit).", t.Location);
            if (tables.Any(x => x.Table == t.Identity))
                ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' is declared twice for unification '{name}'.", t.Location);
            var pairs = new List<KeyColumn>();
            foreach (var pair in NameRules.SplitList(t.Get("KeyColumns")))
            {
                var parts = pair.Split(':', StringSplitOptions.TrimEntries);
                if (parts.Length != 2 || !NameRules.IsSymbol(parts[0]) || !NameRules.IsSymbol(parts[1]))
                    ctx.Error("CDP0075", $"KeyColumns entry '{pair}' of CdpUnificationTable '{t.Identity}' must be column:key, e.g. cleaned_email:email.", t.Location);
                else pairs.Add(new KeyColumn(parts[0], parts[1]));
            }
            if (pairs.Count == 0)
                ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' needs KeyColumns, e.g. KeyColumns=\"cleaned_email:email\".", t.Location);
            if (pairs.Count > 32)
                ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' has {pairs.Count} KeyColumns; TD allows at most 32.", t.Location);
            if (db == staging.FirstOrDefault()?.Database && staging.All(s => s.Output != t.Identity))
                ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' is not a staging table. Staging tables: {string.Join(", ", staging.Select(s => s.Output))}.", t.Location);
            if (keys.Count > 0)
                foreach (var unknown in pairs.Where(p => keys.All(k => k.Name != p.Key)))
                    ctx.Error("CDP0075", $"CdpUnificationTable '{t.Identity}' maps column '{unknown.Column}' to key '{unknown.Key}', which is not a CdpUnificationKey of '{name}'.", t.Location);
            tables.Add(new UnifyTable(db, t.Identity, pairs));
        }

        if (tables.Count == 0) tables.AddRange(DefaultTables(staging));
        if (keys.Count == 0)
            keys.AddRange(tables.SelectMany(t => t.KeyColumns).Select(c => c.Key).Distinct()
                .Select(k => new UnifyKey(k, k == "email" ? EmailRegexp : "", [])));
        if (tables.Count == 0)
            ctx.Error("CDP0076", $"Unification '{name}' has no tables: add CdpUnificationTable items, or EmailColumns/PhoneColumns to CdpStaging items so tables are found.", at);
        // Every key becomes one entry of the id's merge_by_keys, which TD limits to 64.
        if (keys.Count > 64)
            ctx.Error("CDP0074", $"Unification '{name}' has {keys.Count} keys; TD's merge_by_keys allows at most 64.", at);
        foreach (var unused in keys.Where(k => tables.All(t => t.KeyColumns.All(c => c.Key != k.Name))))
            ctx.Error("CDP0074", $"CdpUnificationKey '{unused.Name}' is not used by any table of unification '{name}' (TD rejects unused keys).", at);
        return new UnificationSpec { Name = name, Keys = keys, Tables = tables, At = at };
    }

    /// <summary>By default every staging table with cleaned email or phone columns is unified on them.</summary>
    static IEnumerable<UnifyTable> DefaultTables(IReadOnlyList<StagingTableSpec> staging) =>
        staging.Where(s => s.EmailColumns.Count + s.PhoneColumns.Count > 0).Select(s => new UnifyTable(s.Database, s.Output,
            s.EmailColumns.Select(c => new KeyColumn("cleaned_" + c, "email"))
                .Concat(s.PhoneColumns.Select(c => new KeyColumn("standardized_" + c, "phone"))).ToList()));

    /// <summary>The unification a key/table item belongs to: its Unification metadata, or the only one.</summary>
    static string? Owner(ReadContext ctx, RawItem item, List<string> names, bool report)
    {
        var owner = item.Get("Unification");
        if (owner.Length == 0 && names.Count == 1) return names[0];
        if (names.Contains(owner)) return owner;
        if (report)
            ctx.Error("CDP0077", owner.Length == 0
                ? $"{item.ItemType} '{item.Identity}' must say which unification it belongs to: add Unification=\"…\" ({string.Join(", ", names)})."
                : $"{item.ItemType} '{item.Identity}' names Unification '{owner}', which is not a CdpUnification.", item.Location);
        return null;
    }

    static bool IsRegex(string pattern)
    {
        try { _ = new System.Text.RegularExpressions.Regex(pattern); return true; }
        catch (ArgumentException) { return false; }
    }
}

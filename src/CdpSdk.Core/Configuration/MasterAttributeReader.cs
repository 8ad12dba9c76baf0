using System.Globalization;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// CdpUnificationMasterAttribute items: the master_tables section of a generated unify.yml. Each item is one
/// attribute; SourceColumns lists table.column[:priority[:first|last[:order_by]]] entries.
/// </summary>
internal static partial class UnificationReader
{
    public const string MasterAttributeItem = "CdpUnificationMasterAttribute";

    static IReadOnlyList<MasterAttributeSpec> MasterAttributes(ReadContext ctx, UnificationSpec unification, List<string> names, List<RawItem> items)
    {
        var attributes = new List<MasterAttributeSpec>();
        foreach (var item in items.Where(i => Owner(ctx, i, names, report: false) == unification.Name))
        {
            var table = item.Get("MasterTable") is { Length: > 0 } m ? m : unification.Name + "_master";
            void Bad(string what) => ctx.Error("CDP0153", $"{MasterAttributeItem} '{item.Identity}': {what}", item.Location);
            if (!NameRules.IsSymbol(item.Identity)) Bad("the attribute name must be a column name (a SQL symbol).");
            if (!NameRules.IsTable(table)) Bad($"MasterTable '{table}' is not a valid table name.");
            if (attributes.Any(a => a.MasterTable == table && a.Name == item.Identity)) Bad($"the attribute is declared twice for master table '{table}'.");
            var elementsText = item.Get("ArrayElements");
            var elements = 1;
            if (elementsText.Length > 0 && (!int.TryParse(elementsText, NumberStyles.None, CultureInfo.InvariantCulture, out elements) || elements is < 1 or > 10))
                Bad($"ArrayElements '{elementsText}' must be a whole number from 1 to 10 (TD's limit).");

            var sources = new List<MasterSourceColumn>();
            foreach (var entry in NameRules.SplitList(item.Get("SourceColumns")))
            {
                var parts = entry.Split(':', StringSplitOptions.TrimEntries);
                var column = parts[0].Split('.', StringSplitOptions.TrimEntries);
                var priority = 1;
                var order = parts.Length > 2 ? parts[2] : "first";
                if (column.Length != 2 || !NameRules.IsSymbol(column[1]) || parts.Length > 4
                    || (parts.Length > 1 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out priority) || priority < 1))
                    || order is not ("first" or "last") || (parts.Length > 3 && !NameRules.IsSymbol(parts[3])))
                {
                    Bad($"SourceColumns entry '{entry}' must be table.column[:priority[:first|last[:order_by]]], e.g. shopify_customers.first_name:1:last:updated_at.");
                    continue;
                }
                if (unification.Tables.All(t => t.Table != column[0]))
                    Bad($"SourceColumns entry '{entry}' reads table '{column[0]}', which unification '{unification.Name}' does not unify ({string.Join(", ", unification.Tables.Select(t => t.Table))}).");
                sources.Add(new MasterSourceColumn(column[0], column[1], priority, order, parts.Length > 3 ? parts[3] : ""));
            }
            if (sources.Count == 0) Bad("needs SourceColumns, e.g. SourceColumns=\"pos_members.name:1\".");
            if (NameRules.SplitList(item.Get("InvalidTexts")).Count > 127) Bad($"InvalidTexts lists {NameRules.SplitList(item.Get("InvalidTexts")).Count} values; TD allows at most 127.");
            if (item.Get("ValidRegexp") is { Length: > 512 } longRegexp) Bad($"ValidRegexp has {longRegexp.Length} characters; TD allows at most 512.");
            if (attributes.Count(a => a.MasterTable == table) == 512) Bad($"master table '{table}' would have more than 512 attributes, TD's limit.");
            attributes.Add(new MasterAttributeSpec(table, item.Identity, elements, item.Get("ValidRegexp"), NameRules.SplitList(item.Get("InvalidTexts")), sources));
        }
        return attributes;
    }
}

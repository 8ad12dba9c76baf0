using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>master_tables: one id each, at most 512 attributes with unique names, and where each attribute's values come from.</summary>
internal sealed partial class UnifyYmlCheck
{
    static readonly string[] MasterFields = ["name", "canonical_id", "persistent_id", "attributes"];
    static readonly string[] AttributeFields = ["name", "array_elements", "source_canonical_id", "source_persistent_id", "valid_regexp", "invalid_texts", "source_columns"];
    // order_by is TD's documented field (TD's samples use it); TD's validator's loader drops it unread.
    static readonly string[] SourceColumnFields = ["table", "column", "priority", "order", "order_by"];

    void MasterTables(YamlTreeMapping top, HashSet<string> canonical, HashSet<string> persistent)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in f.Maps(top, "master_tables", "the unification"))
        {
            f.OnlyKnown(m, "a master table", MasterFields);
            var name = f.Symbol(m, "name", "a master table") ?? "";
            if (name.Length > 0 && !names.Add(name)) f.Error("CDP0116", m, $"declares master table '{name}' twice");
            var what = $"master table '{name}'";
            var (c, p) = (f.Text(m, "canonical_id", what), f.Text(m, "persistent_id", what));
            if (string.IsNullOrEmpty(c) == string.IsNullOrEmpty(p))
                f.Error("CDP0116", m, $"{what} must name exactly one of canonical_id and persistent_id");
            else if (!string.IsNullOrEmpty(c) && !canonical.Contains(c) && !UnifyYmlFields.HasVariable(c))
                f.Error("CDP0116", m.Get("canonical_id")!, $"{what} names canonical_id '{c}', which is not under canonical_ids:");
            else if (!string.IsNullOrEmpty(p) && !persistent.Contains(p) && !UnifyYmlFields.HasVariable(p))
                f.Error("CDP0116", m.Get("persistent_id")!, $"{what} names persistent_id '{p}', which is not under persistent_ids:");

            var attributes = f.Maps(m, "attributes", what);
            if (attributes.Count > 512) f.Error("CDP0116", m.Get("attributes")!, $"{what} has {attributes.Count} attributes; TD allows at most 512");
            var attributeNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var a in attributes)
            {
                f.OnlyKnown(a, $"an attribute of {what}", AttributeFields);
                var attribute = f.Symbol(a, "name", $"an attribute of {what}") ?? "";
                if (attribute.Length > 0 && !attributeNames.Add(attribute)) f.Error("CDP0116", a, $"{what} has the attribute '{attribute}' twice");
                Attribute(a, $"attribute '{attribute}' of {what}", attribute, canonical, persistent);
            }
        }
    }

    void Attribute(YamlTreeMapping a, string what, string attribute, HashSet<string> canonical, HashSet<string> persistent)
    {
        f.Number(a, "array_elements", what, 1, 10, "CDP0116");
        Regexp(a, what, "CDP0116");
        InvalidTexts(a, what, "CDP0116");
        var fromCanonical = f.Text(a, "source_canonical_id", what);
        var fromPersistent = f.Text(a, "source_persistent_id", what);
        var sources = f.Maps(a, "source_columns", what);
        if ((fromCanonical ?? fromPersistent) is not null && sources.Count > 0)
            f.Error("CDP0116", a.Get("source_columns")!, $"{what} has source_columns together with {(fromCanonical is not null ? "source_canonical_id" : "source_persistent_id")}; TD takes the values from one or the other");
        else if (fromCanonical is null && fromPersistent is null && sources.Count == 0 && a.Get("source_columns") is null or YamlTreeSequence or YamlTreeScalar { Plain: true, Value: "" or "~" or "null" })
            f.Error("CDP0116", a, $"{what} needs source_columns (or source_canonical_id / source_persistent_id)");
        // Ours: TD's validator leaves these unresolved; an id that does not exist has no values to copy.
        if (fromCanonical is not null && !canonical.Contains(fromCanonical) && !UnifyYmlFields.HasVariable(fromCanonical))
            f.Error("CDP0116", a.Get("source_canonical_id")!, $"source_canonical_id '{fromCanonical}' of {what} is not under canonical_ids:");
        if (fromPersistent is not null && !persistent.Contains(fromPersistent) && !UnifyYmlFields.HasVariable(fromPersistent))
            f.Error("CDP0116", a.Get("source_persistent_id")!, $"source_persistent_id '{fromPersistent}' of {what} is not under persistent_ids:");

        var priorities = new List<long>();
        var unprioritised = new List<string>();
        foreach (var s in sources)
        {
            f.OnlyKnown(s, $"a source column of {what}", SourceColumnFields);
            var table = f.Text(s, "table", $"a source column of {what}");
            if (table is null || !tables.ContainsKey(table) && !UnifyYmlFields.HasVariable(table))
                f.Error("CDP0116", s.Get("table") ?? s, $"a source column of {what} names table '{table}', which is not under tables: (use its as: name)");
            if (s.Get("column") is null or YamlTreeScalar { Plain: true, Value: "~" or "null" or "Null" or "NULL" } || s.Get("column") is YamlTreeScalar { Plain: true, Tag: "", Value: "" })
                f.Warning("CDP0118", s, $"a source column of {what} has no column:; TD reads the column named like the attribute, '{attribute}' (TD's validator requires column:, TD's own samples leave it out)");
            else f.Symbol(s, "column", $"a source column of {what}");
            if (f.Number(s, "priority", $"a source column of {what}", 1, long.MaxValue, "CDP0116") is { } priority) priorities.Add(priority);
            else if (s.Get("priority") is null or YamlTreeScalar { Plain: true, Value: "" or "~" or "null" or "Null" or "NULL" }) unprioritised.Add(table ?? "?");
            if (f.Text(s, "order", $"a source column of {what}") is { } order && order is not ("first" or "last"))
                f.Error("CDP0116", s.Get("order")!, $"order '{order}' of a source column of {what} must be first or last");
            f.Symbol(s, "order_by", $"a source column of {what}", required: false);
        }
        if (sources.Count <= 1) return;
        if (unprioritised.Count > 0)
            f.Warning("CDP0120", a.Get("source_columns")!, $"{what} has {sources.Count} source_columns but no priority for {string.Join(", ", unprioritised)}; TD's validator warns that the merge order is then not determined");
        var duplicates = priorities.GroupBy(x => x).Where(g => g.Count() > 1).Select(g => g.Key).Order().ToList();
        if (duplicates.Count > 0)
            f.Warning("CDP0119", a.Get("source_columns")!, $"{what} gives several source_columns the same priority ({string.Join(", ", duplicates)}); TD's validator warns that the merge order is then not determined (TD takes them together, by order and order_by)");
    }
}

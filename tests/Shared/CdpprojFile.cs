using System.Xml;
using System.Xml.Linq;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Testing;

/// <summary>
/// A .cdpproj read into the <see cref="RawProject"/> that CdpResolveConfiguration builds from MSBuild's
/// evaluation, so test fixtures run what a sample says instead of a hand copy of it.
/// It evaluates only literal content: PropertyGroup elements, and ItemGroup items whose Include is a
/// ';'-separated list of names (one item each, in document order) with metadata as attributes or child
/// elements, where <c>%(Identity)</c> expands to the item's name. Anything else MSBuild would evaluate
/// (Condition, Import, $(Property), @(Item), other %(…) metadata, wildcards, Exclude/Remove/Update,
/// ItemDefinitionGroup defaults) throws, so a sample that starts using it fails here instead of being
/// misread. SDK defaults are not applied: PipelineSpecReader defaults empty properties itself.
/// Shared by the Local and Generation tests (linked into both projects).
/// </summary>
internal static class CdpprojFile
{
    /// <summary>Item attributes that are MSBuild operations, not metadata (Label is neither, and is ignored).</summary>
    static readonly string[] ItemOperations = ["Exclude", "Remove", "Update", "Condition", "KeepMetadata", "RemoveMetadata", "KeepDuplicates", "MatchOnMetadata", "MatchOnMetadataOptions"];

    public static RawProject Read(string projectFile)
    {
        var doc = XDocument.Load(projectFile, LoadOptions.SetLineInfo);
        var properties = new Dictionary<string, RawProperty>(StringComparer.OrdinalIgnoreCase);
        var items = new List<RawItem>();
        foreach (var group in doc.Root!.Elements())
        {
            Refuse(group, "Condition");
            switch (group.Name.LocalName)
            {
                case "PropertyGroup":
                    foreach (var p in group.Elements())
                    {
                        Refuse(p, "Condition");
                        properties[p.Name.LocalName] = new RawProperty(p.Name.LocalName, Literal(p, p.Value), At(p, projectFile));
                    }
                    break;
                case "ItemGroup":
                    foreach (var element in group.Elements())
                    {
                        Refuse(element, ItemOperations);
                        var include = Literal(element, (string?)element.Attribute("Include") ?? "");
                        if (include.IndexOfAny(['*', '?']) >= 0) throw Unsupported(element, "a wildcard Include");
                        foreach (var identity in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                            items.Add(new RawItem(element.Name.LocalName, identity, Metadata(element, identity), At(element, projectFile)));
                    }
                    break;
                default:
                    throw Unsupported(group, $"<{group.Name.LocalName}>");
            }
        }
        return new RawProject(projectFile, properties, items, properties.Values.ToList(), items);
    }

    static Dictionary<string, string> Metadata(XElement item, string identity)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var written = item.Attributes().Where(a => a.Name.LocalName is not ("Include" or "Label")).Select(a => (a.Name.LocalName, a.Value))
            .Concat(item.Elements().Select(e => (e.Name.LocalName, e.Value)));
        foreach (var (name, value) in written)
            metadata[name] = Literal(item, value.Replace("%(Identity)", identity, StringComparison.OrdinalIgnoreCase));
        return metadata;
    }

    static string Literal(XElement at, string value) =>
        value.Contains("$(") || value.Contains("@(") || value.Contains('%') ? throw Unsupported(at, $"'{value}'") : value;

    static void Refuse(XElement at, params string[] attributes)
    {
        foreach (var name in attributes)
            if (at.Attribute(name) is not null) throw Unsupported(at, $"the {name} attribute");
    }

    static NotSupportedException Unsupported(XElement at, string what) =>
        new($"line {(at as IXmlLineInfo)?.LineNumber}: CdpprojFile reads literal properties and items only, not {what}; evaluate the project with MSBuild instead.");

    static SourceLocation At(XElement e, string file) => e is IXmlLineInfo info && info.HasLineInfo()
        ? new SourceLocation(file, info.LineNumber, info.LinePosition)
        : new SourceLocation(file);
}

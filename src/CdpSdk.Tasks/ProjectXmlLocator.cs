using System.Xml;
using System.Xml.Linq;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Tasks;

/// <summary>
/// Finds where properties and items are written in the project file, so configuration errors point at
/// the offending line. MSBuild gives tasks evaluated values but not their locations.
/// </summary>
internal sealed class ProjectXmlLocator
{
    static readonly string[] ItemAttributesThatAreNotMetadata = ["Include", "Exclude", "Remove", "Update", "Condition", "KeepMetadata", "RemoveMetadata", "KeepDuplicates", "MatchOnMetadata", "MatchOnMetadataOptions", "Label"];

    readonly string _file;
    readonly List<(string Name, string Value, SourceLocation At)> _properties = [];
    readonly List<(string Type, IReadOnlyList<string> Includes, IReadOnlyDictionary<string, string> Metadata, SourceLocation At)> _items = [];

    public ProjectXmlLocator(string projectFile)
    {
        _file = projectFile;
        XDocument doc;
        try { doc = XDocument.Load(projectFile, LoadOptions.SetLineInfo); }
        catch (Exception e) when (e is XmlException or IOException) { return; } // MSBuild already reported it
        foreach (var group in doc.Root?.Elements() ?? [])
        {
            if (group.Name.LocalName == "PropertyGroup")
                foreach (var p in group.Elements())
                    _properties.Add((p.Name.LocalName, p.Value, At(p)));
            else if (group.Name.LocalName == "ItemGroup")
                foreach (var i in group.Elements())
                    _items.Add((i.Name.LocalName, Split((string?)i.Attribute("Include") ?? ""), Metadata(i), At(i)));
        }
    }

    public IReadOnlyList<RawProperty> DeclaredProperties => _properties.Select(p => new RawProperty(p.Name, p.Value, p.At)).ToList();

    /// <summary>Items of types the SDK does not know, as written (the known ones are checked from their evaluated form).</summary>
    public IReadOnlyList<RawItem> DeclaredItemsExcept(ISet<string> knownTypes) =>
        _items.Where(i => i.Type.StartsWith("Cdp", StringComparison.Ordinal) && !knownTypes.Contains(i.Type))
              .Select(i => new RawItem(i.Type, string.Join(";", i.Includes), i.Metadata, i.At)).ToList();

    /// <summary>The last element that sets the property (the one that wins), or the project file.</summary>
    public SourceLocation PropertyLocation(string name) =>
        _properties.LastOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).At ?? new SourceLocation(_file);

    /// <summary>
    /// The element whose Include lists the item (the n-th such element for the n-th item of that identity,
    /// so a duplicate points at the second declaration), else the first element of its type, else the file.
    /// </summary>
    public SourceLocation ItemLocation(string type, string identity, int occurrence = 0)
    {
        var ofType = _items.Where(i => string.Equals(i.Type, type, StringComparison.OrdinalIgnoreCase)).ToList();
        var exact = ofType.Where(i => i.Includes.Contains(identity, StringComparer.OrdinalIgnoreCase)).ToList();
        if (exact.Count > 0) return exact[Math.Min(occurrence, exact.Count - 1)].At;
        return ofType.Count > 0 ? ofType[0].At : new SourceLocation(_file);
    }

    SourceLocation At(XElement e) => e is IXmlLineInfo info && info.HasLineInfo()
        ? new SourceLocation(_file, info.LineNumber, info.LinePosition)
        : new SourceLocation(_file);

    static IReadOnlyList<string> Split(string include) =>
        include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    static IReadOnlyDictionary<string, string> Metadata(XElement item)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in item.Attributes().Where(a => !ItemAttributesThatAreNotMetadata.Contains(a.Name.LocalName)))
            result[a.Name.LocalName] = a.Value;
        foreach (var m in item.Elements())
            result[m.Name.LocalName] = m.Value;
        return result;
    }
}

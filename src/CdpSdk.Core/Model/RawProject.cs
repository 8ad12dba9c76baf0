using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Model;

/// <summary>A property as MSBuild evaluated it, with where it was written.</summary>
public sealed record RawProperty(string Name, string Value, SourceLocation Location);

/// <summary>An item as MSBuild evaluated it: one per identity, with its custom metadata only.</summary>
public sealed record RawItem(string ItemType, string Identity, IReadOnlyDictionary<string, string> Metadata, SourceLocation Location)
{
    public string Get(string name) => Metadata.TryGetValue(name, out var v) ? v.Trim() : "";
}

/// <summary>
/// What the project file says, independent of MSBuild: evaluated Cdp properties and items, and the
/// names the file declares (so a misspelt property or item type can be reported where it was written).
/// </summary>
public sealed record RawProject(
    string ProjectFile,
    IReadOnlyDictionary<string, RawProperty> Properties,
    IReadOnlyList<RawItem> Items,
    IReadOnlyList<RawProperty> DeclaredProperties,
    IReadOnlyList<RawItem> DeclaredItems)
{
    public string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(ProjectFile)) ?? ".";

    public string Property(string name) => Properties.TryGetValue(name, out var p) ? p.Value.Trim() : "";

    public SourceLocation PropertyLocation(string name) =>
        Properties.TryGetValue(name, out var p) ? p.Location : new SourceLocation(ProjectFile);

    public IEnumerable<RawItem> ItemsOf(string itemType) =>
        Items.Where(i => string.Equals(i.ItemType, itemType, StringComparison.OrdinalIgnoreCase));
}

namespace CdpSdk.Core.Reporting;

/// <summary>
/// Paths in the report relative to the project's folder, so a report sent to a colleague or kept as a CI
/// artifact names no one's machine: "obj/cdp/workflows/staging", not "/home/ana/retail/obj/…". A path
/// outside the project (a shared data folder) stays as it is: it is the only name it has.
/// </summary>
internal sealed class ShareablePaths(string projectDirectory)
{
    readonly string _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(projectDirectory.Length == 0 ? "." : projectDirectory));

    /// <summary>One path, relative to the project when it is inside it; "." for the project's folder itself.</summary>
    public string Of(string path)
    {
        if (path.Length == 0 || !Path.IsPathFullyQualified(path)) return path;
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (full == _root) return ".";
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full[(_root.Length + 1)..].Replace(Path.DirectorySeparatorChar, '/') : path;
    }

    /// <summary>A message that may quote paths (an error, a note): every mention of the project's folder made relative.</summary>
    public string? In(string? text) =>
        string.IsNullOrEmpty(text) ? text : text.Replace(_root + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);

    public Lineage In(Lineage lineage) =>
        lineage with { Nodes = lineage.Nodes.Select(n => n with { Detail = In(n.Detail)! }).ToList() };
}

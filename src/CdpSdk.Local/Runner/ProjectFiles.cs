using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner;

/// <summary>The files of a deployed revision, by project-relative path with '/'; runs never read the generated folder.</summary>
internal sealed class ProjectFiles(IReadOnlyDictionary<string, string> files)
{
    public bool Exists(string path) => files.ContainsKey(Normalize(path));

    public string Read(string path) =>
        files.TryGetValue(Normalize(path), out var text) ? text
            : throw new CdpException(LocalErrors.BadWorkflowFile, $"The workflow project has no file '{path}'. Files: {string.Join(", ", files.Keys.Order(StringComparer.Ordinal))}.");

    /// <summary>An include is relative to the including file's folder, falling back to the project root.</summary>
    public string Resolve(string fromFile, string path)
    {
        var dir = Path.GetDirectoryName(Normalize(fromFile))?.Replace('\\', '/') ?? "";
        var relative = Normalize(dir.Length == 0 ? path : dir + "/" + path);
        return Exists(relative) ? relative : Normalize(path);
    }

    static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == ".." && parts.Count > 0) parts.RemoveAt(parts.Count - 1);
            else parts.Add(part);
        }
        return string.Join('/', parts);
    }
}

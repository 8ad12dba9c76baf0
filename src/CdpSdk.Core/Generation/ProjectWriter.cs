using System.Text;

namespace CdpSdk.Core.Generation;

/// <summary>What <see cref="ProjectWriter.Write"/> did, as paths relative to the project folder using '/'.</summary>
public sealed record WriteResult(IReadOnlyList<string> Written, IReadOnlyList<string> Deleted, IReadOnlyList<string> Unchanged)
{
    /// <summary>Generated files left as they were on disk because the caller asked to keep them (a hand edit kept by decision).</summary>
    public IReadOnlyList<string> Kept { get; init; } = [];

    public bool Changed => Written.Count + Deleted.Count > 0;
}

/// <summary>
/// Puts a generated project on disk so the folder holds exactly the project's files (and those the caller
/// asks to keep). Unchanged files are
/// not touched, so their timestamps stay and MSBuild's Inputs/Outputs checks see nothing new.
/// </summary>
public static class ProjectWriter
{
    static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The bytes a generated file is written as (UTF-8, no BOM): what its recorded hash is taken of.</summary>
    public static byte[] Bytes(GeneratedFile file) => Utf8NoBom.GetBytes(file.Content);

    /// <param name="keep">
    /// Project-relative paths ('/') left exactly as they are on disk: neither overwritten nor deleted.
    /// Used for a hand-edited file the user chose to keep, and for files the user added beside the generated ones.
    /// </param>
    public static WriteResult Write(GeneratedProject project, string directory, IReadOnlySet<string>? keep = null)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        var written = new List<string>();
        var unchanged = new List<string>();
        var kept = new List<string>();
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var relative in keep ?? new HashSet<string>())
            produced.Add(Path.GetFullPath(Path.Combine(root, relative)));

        foreach (var file in project.Files)
        {
            var path = Path.GetFullPath(Path.Combine(root, file.RelativePath));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new ArgumentException($"Generated file '{file.RelativePath}' would be written outside '{root}'.", nameof(project));
            produced.Add(path);
            if (keep?.Contains(file.RelativePath) == true && File.Exists(path))
            {
                kept.Add(file.RelativePath);
                continue;
            }
            var bytes = Bytes(file);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(file.RelativePath);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Write beside and move, so a build stopped half-way never leaves a truncated workflow.
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            written.Add(file.RelativePath);
        }

        var deleted = new List<string>();
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList())
        {
            if (produced.Contains(path)) continue;
            File.Delete(path);
            deleted.Add(Path.GetRelativePath(root, path).Replace('\\', '/'));
        }
        // Deepest first, so a folder emptied by deleting its only subfolder goes too.
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
            if (!Directory.EnumerateFileSystemEntries(dir).Any()) Directory.Delete(dir);

        return new WriteResult(written, deleted, unchanged) { Kept = kept };
    }
}

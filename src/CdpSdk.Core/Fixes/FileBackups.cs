using System.Security.Cryptography;
using System.Text.Json;

namespace CdpSdk.Core.Fixes;

/// <summary>One backed-up file: where it was, and the hash of what was saved.</summary>
public sealed record BackedUpFile(string OriginalPath, string Sha256);

/// <summary>A set of files saved before a fix touched them.</summary>
public sealed record Backup(string Id, string Reason, DateTimeOffset CreatedAt, IReadOnlyList<BackedUpFile> Files);

/// <summary>
/// Saves files under obj/cdp/backups/&lt;id&gt;/ before a fix or a regeneration overwrites them, and
/// restores them on request, so no automatic change can lose a user's edit.
/// </summary>
public sealed class FileBackups(string backupsDir)
{
    const string Manifest = "backup.json";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string Directory { get; } = backupsDir;

    /// <summary>Copies the existing files among <paramref name="paths"/> into a new backup; missing files are skipped.</summary>
    public Backup Save(string reason, IEnumerable<string> paths, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var id = $"{at:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid().ToString("N")[..6]}";
        var folder = Path.Combine(Directory, id);
        System.IO.Directory.CreateDirectory(folder);
        var files = new List<BackedUpFile>();
        foreach (var path in paths.Select(Path.GetFullPath).Distinct().Where(File.Exists))
        {
            var copy = Path.Combine(folder, "files", files.Count.ToString("D4"));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(path, copy);
            files.Add(new BackedUpFile(path, Hash(copy)));
        }
        var backup = new Backup(id, reason, at, files);
        File.WriteAllText(Path.Combine(folder, Manifest), JsonSerializer.Serialize(backup, Json));
        return backup;
    }

    public IReadOnlyList<Backup> List() =>
        !System.IO.Directory.Exists(Directory) ? [] :
        System.IO.Directory.EnumerateDirectories(Directory)
            .Select(d => Path.Combine(d, Manifest)).Where(File.Exists)
            .Select(m => JsonSerializer.Deserialize<Backup>(File.ReadAllText(m), Json)!)
            .OrderBy(b => b.Id, StringComparer.Ordinal).ToList();

    /// <summary>Puts every file of the backup back where it was.</summary>
    public void Restore(string id)
    {
        var backup = List().FirstOrDefault(b => b.Id == id)
            ?? throw new Diagnostics.CdpException("CDP6001", $"No backup '{id}' under {Directory}. Backups: {string.Join(", ", List().Select(b => b.Id))}.");
        for (var i = 0; i < backup.Files.Count; i++)
        {
            var target = backup.Files[i].OriginalPath;
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(Directory, id, "files", i.ToString("D4")), target, overwrite: true);
        }
    }

    public static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.TreasureData.Deploy;

/// <summary>One file of a project archive: its name inside the archive ('/'-separated) and full path.</summary>
public sealed record ArchiveEntry(string Name, string FullPath, UnixFileMode Mode);

/// <summary>
/// The project archive as Digdag's CLI (<c>digdag push</c> / <c>td wf push</c>) builds it: a gzip-compressed
/// tar of the project's regular files, named relative to the project root with '/', without directory
/// entries, skipping every file or folder whose name starts with '.' and what <c>.digdagignore</c> lists.
/// Unlike the CLI the bytes are deterministic — entries sorted, fixed time and owner, no gzip timestamp —
/// so the revision name, a hash of the content, is the same for the same files on any machine.
/// </summary>
public static class ProjectArchive
{
    /// <summary>TD's documented limit for a workflow project.</summary>
    public const long MaxBytes = 10 * 1024 * 1024;

    static readonly DateTimeOffset FixedTime = DateTimeOffset.FromUnixTimeSeconds(0);

    public static IReadOnlyList<ArchiveEntry> Entries(string projectDirectory)
    {
        var root = Path.GetFullPath(projectDirectory);
        var ignore = DigdagIgnore.Load(root);
        var entries = new List<ArchiveEntry>();
        Walk(root, "", ignore, entries);
        return entries.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    static void Walk(string dir, string prefix, DigdagIgnore ignore, List<ArchiveEntry> entries)
    {
        foreach (var path in Directory.EnumerateFileSystemEntries(dir))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.')) continue;
            var relative = prefix + name;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) continue; // Digdag archives regular files only
            if (Directory.Exists(path))
            {
                if (!ignore.Ignores(relative + "/")) Walk(path, relative + "/", ignore, entries);
            }
            else if (!ignore.Ignores(relative))
                entries.Add(new ArchiveEntry(relative, path, Executable(path) ? ExecutableMode : RegularMode));
        }
    }

    const UnixFileMode RegularMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    const UnixFileMode ExecutableMode = RegularMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    static bool Executable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    /// <summary>The gzip-compressed tar bytes of <paramref name="entries"/>.</summary>
    public static byte[] Build(IReadOnlyList<ArchiveEntry> entries)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true))
        {
            foreach (var e in entries)
            {
                var entry = new UstarTarEntry(TarEntryType.RegularFile, e.Name)
                {
                    Mode = e.Mode,
                    ModificationTime = FixedTime,
                    Uid = 0,
                    Gid = 0,
                    UserName = "",
                    GroupName = "",
                    DataStream = new MemoryStream(File.ReadAllBytes(e.FullPath)),
                };
                tar.WriteEntry(entry);
            }
        }
        var bytes = output.ToArray();
        if (bytes.LongLength > MaxBytes)
            throw new CdpException("CDP2007", $"The project archive is {bytes.LongLength / 1024} KiB, above TD's {MaxBytes / 1024 / 1024} MB per project. Move large files (data, libraries) out of the project or list them in .digdagignore.");
        return bytes;
    }

    /// <summary>
    /// The revision name: a hash of every entry's name, mode and content, so identical projects get the
    /// same revision and any change gets a new one. Independent of compression.
    /// </summary>
    public static string Revision(IReadOnlyList<ArchiveEntry> entries)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var e in entries)
        {
            var content = File.ReadAllBytes(e.FullPath);
            sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{e.Name}\0{(int)e.Mode}\0{content.Length}\0"));
            sha.AppendData(content);
        }
        return "cdp-" + Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }
}

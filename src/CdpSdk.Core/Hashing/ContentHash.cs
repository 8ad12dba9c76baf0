using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace CdpSdk.Core.Hashing;

/// <summary>
/// SHA-256 of a file's bytes. A phase's inputs are judged by content, not by date: a data file a hook
/// copies again with the same bytes changes nothing, one replaced by an older copy does. The hash is
/// kept per path, size and write time, because one build hashes the same files in several tasks.
/// </summary>
public static class ContentHash
{
    public const string Missing = "missing";

    static readonly ConcurrentDictionary<(string Path, long Length, long Ticks), string> Known = new();

    /// <summary>The file's hash in lower-case hex, or <see cref="Missing"/> when it is not there.</summary>
    public static string Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return Missing;
        var key = (info.FullName, info.Length, info.LastWriteTimeUtc.Ticks);
        if (Known.TryGetValue(key, out var known)) return known;
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        Known[key] = hash;
        return hash;
    }
}

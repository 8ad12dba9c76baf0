using CdpSdk.Core.Diagnostics;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// The user's environment failing the Local warehouse (the folder is a file or read-only, a database file is
/// not a database, the disk is full, another process holds its lock) as coded errors naming the path and the fix, instead of DuckDB's bare
/// message or an "unexpected" failure.
/// </summary>
internal static partial class WarehouseFailures
{
    /// <summary>Creates the warehouse folder, or says why it cannot be one.</summary>
    public static void EnsureFolder(string directory)
    {
        if (File.Exists(directory))
            throw new CdpException(LocalErrors.WarehouseNotAFolder,
                $"The Local warehouse folder '{directory}' (CdpWarehouseDir) is a file, not a folder. Point CdpWarehouseDir at a folder (the default is warehouse/ beside the .cdpproj), or move the file away.",
                new SourceLocation(directory));
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CdpException(LocalErrors.WarehouseNotAFolder,
                $"The Local warehouse folder '{directory}' (CdpWarehouseDir) cannot be created: {e.Message} Check that its parent folders exist, are folders and are writable, or point CdpWarehouseDir elsewhere.",
                new SourceLocation(directory), e);
        }
    }

    [GeneratedRegex(@"Conflicting lock is held in (?<holder>.*?) \(PID (?<pid>\d+)\)")]
    private static partial Regex LockHolder();

    /// <summary>The coded error for a DuckDB failure caused by the environment, or null for any other failure (a query's own error).</summary>
    public static CdpException? Translate(DuckDBException e, string file) => Translate(e.Message, file, e);

    /// <summary>The coded error for DuckDB's message <paramref name="text"/> about <paramref name="file"/>, or null.</summary>
    public static CdpException? Translate(string text, string file, Exception? e = null)
    {
        var message = text.Split('\n')[0].Trim();
        if (message.Contains("Could not set lock on file", StringComparison.Ordinal))
        {
            var holder = LockHolder().Match(text) is { Success: true } m ? $"process {m.Groups["pid"].Value} ({m.Groups["holder"].Value})" : "another process";
            return new CdpException(LocalErrors.WarehouseBusy,
                LocalMessages.Current.WarehouseBusy(file, holder),
                new SourceLocation(file), e, new FailureCause(FailureKind.Transient, Detail: message));
        }
        if (message.Contains("not a valid DuckDB database file", StringComparison.Ordinal) || message.Contains("Corrupt database file", StringComparison.OrdinalIgnoreCase)
            || message.Contains("created by an older", StringComparison.Ordinal) || message.Contains("created by a newer", StringComparison.Ordinal))
            return new CdpException(LocalErrors.WarehouseFileCorrupt,
                $"The Local warehouse file '{file}' is not a usable DuckDB database (DuckDB: {message.TrimEnd('.', '!')}). Move it away (or delete it) and run the pipeline again: the phases that wrote it run again; data files are not touched.",
                new SourceLocation(file), e);
        if (message.Contains("No space left on device", StringComparison.Ordinal) || message.Contains("Disk full", StringComparison.OrdinalIgnoreCase))
            return new CdpException(LocalErrors.DiskFull,
                $"The disk holding the Local warehouse file '{file}' is full (DuckDB: {message.TrimEnd('.')}). Nothing of the failed task was kept; free space on that disk (or point CdpWarehouseDir at another) and build again: the pipeline resumes where it stopped.",
                new SourceLocation(file), e);
        if (message.Contains("Permission denied", StringComparison.Ordinal) || message.Contains("Read-only file system", StringComparison.Ordinal)
            || message.Contains("read-only mode", StringComparison.Ordinal) || message.Contains("Cannot open file", StringComparison.Ordinal))
            return new CdpException(LocalErrors.WarehouseNotWritable,
                $"The Local warehouse file '{file}' cannot be opened for writing (DuckDB: {message.TrimEnd('.')}). Make its folder '{Path.GetDirectoryName(file)}' and the file writable by the user running the build, or point CdpWarehouseDir at a writable folder.",
                new SourceLocation(file), e);
        return null;
    }
}

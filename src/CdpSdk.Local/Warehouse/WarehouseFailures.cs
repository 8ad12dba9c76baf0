using CdpSdk.Core.Diagnostics;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// The user's environment failing the Local warehouse (the folder is a file or read-only, a database file is
/// not a database, the disk is full) as coded errors naming the path and the fix, instead of SQLite's bare
/// message or an "unexpected" failure.
/// </summary>
internal static class WarehouseFailures
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

    /// <summary>The coded error for a SQLite failure caused by the environment, or null for any other failure (a query's own error).</summary>
    public static CdpException? Translate(SqliteException e, string file) => e.SqliteErrorCode switch
    {
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => new CdpException(LocalErrors.WarehouseFileCorrupt,
            $"The Local warehouse file '{file}' is not a usable SQLite database (SQLite: {e.Message.TrimEnd('.')}). Move it away (or delete it) and run the pipeline again: the phases that wrote it run again; data files are not touched.",
            new SourceLocation(file), e),
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_IOERR
        8 or 14 or 3 or 10 => new CdpException(LocalErrors.WarehouseNotWritable,
            $"The Local warehouse file '{file}' cannot be opened for writing (SQLite: {e.Message.TrimEnd('.')}). Make its folder '{Path.GetDirectoryName(file)}' and the file writable by the user running the build, or point CdpWarehouseDir at a writable folder.",
            new SourceLocation(file), e),
        // SQLITE_FULL
        13 => new CdpException(LocalErrors.DiskFull,
            $"The disk holding the Local warehouse file '{file}' is full (SQLite: {e.Message.TrimEnd('.')}). Nothing of the failed task was kept; free space on that disk (or point CdpWarehouseDir at another) and build again: the pipeline resumes where it stopped.",
            new SourceLocation(file), e),
        _ => null,
    };
}

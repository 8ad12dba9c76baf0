using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// The CdpRestore target: without a backup id, lists the backups fixes made (id, reason, files); with one,
/// puts its files back — after saving the files as they are now, so a restore can itself be undone.
/// </summary>
public sealed class CdpRestoreBackup : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    public string BackupId { get; set; } = "";

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        var backups = new FileBackups(Path.Combine(IntermediateDir, "backups"));
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!;
        try
        {
            var all = backups.List();
            if (BackupId.Length == 0)
            {
                log.Info(all.Count == 0 ? "No backups: no fix has changed a file of this project." : $"{all.Count} backup(s); restore one with -p:CdpBackup=<id>:", important: true);
                foreach (var b in all)
                    log.Info($"  {b.Id}  {b.Reason}: {string.Join(", ", b.Files.Select(f => Path.GetRelativePath(projectDir, f.OriginalPath)))}", important: true);
                return true;
            }
            var backup = all.FirstOrDefault(b => b.Id == BackupId)
                ?? throw new CdpException("CDP6001", $"No backup '{BackupId}' under {backups.Directory}. Backups: {(all.Count == 0 ? "none" : string.Join(", ", all.Select(b => b.Id)))}.");
            var undo = backups.Save($"before restoring {backup.Id}", backup.Files.Select(f => f.OriginalPath));
            backups.Restore(backup.Id);
            log.Info($"Restored {backup.Files.Count} file(s) from backup {backup.Id} ({backup.Reason}); the files as they were are saved in backup {undo.Id}.", important: true);
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        return !Log.HasLoggedErrors;
    }
}

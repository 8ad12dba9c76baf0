using System.Security.Cryptography;
using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Core.Text;

namespace CdpSdk.Core.Phases;

/// <summary>
/// Generated files edited by hand. Generate records the SHA-256 of every file it writes in the phase
/// state; before Generate writes the folder again (a .cdpproj change would silently overwrite an edit)
/// and before Deploy uploads it (an edit made since would be pushed unseen), the files on disk are
/// compared with those hashes. An edited file is then regenerated after a backup, kept, or the build
/// stops and asks — by the user's decision, never silently:
/// <list type="bullet">
/// <item>-p:CdpApprove=CDP6111, CdpHandEditedFiles=Regenerate, or Ask in Autonomous mode: back up, overwrite, warn.</item>
/// <item>CdpHandEditedFiles=Keep: leave the edited file, deploy it as it is, warn (CDP6112) every time.</item>
/// <item>Ask in HumanInLoop mode: stop with CDP6111, the files, a diff and the two switches.</item>
/// </list>
/// A generated file that was deleted is not an edit worth keeping: it is simply written again.
/// </summary>
public static class HandEditedFiles
{
    enum Decision { Stop, Keep, Regenerate }

    /// <summary>Files shown with a diff in a CDP6111 error; the rest are only named.</summary>
    const int DiffedFiles = 3;

    /// <summary>The hash of each file of <paramref name="project"/> as the project writer puts it on disk.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(GeneratedProject project) =>
        new SortedDictionary<string, string>(
            project.Files.ToDictionary(f => f.RelativePath, f => Convert.ToHexStringLower(SHA256.HashData(ProjectWriter.Bytes(f)))),
            StringComparer.Ordinal);

    /// <summary>Recorded files that are on disk with other bytes than Generate wrote, sorted.</summary>
    public static IReadOnlyList<string> Detect(string directory, IReadOnlyDictionary<string, string> recorded) =>
        recorded.Where(r => File.Exists(Full(directory, r.Key)) && FileBackups.Hash(Full(directory, r.Key)) != r.Value)
            .Select(r => r.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Recorded files that are no longer on disk.</summary>
    public static IReadOnlyList<string> Missing(string directory, IReadOnlyDictionary<string, string> recorded) =>
        recorded.Keys.Where(k => !File.Exists(Full(directory, k))).Order(StringComparer.Ordinal).ToList();

    /// <summary>Files in the folder that Generate did not write (nor will now): the user's own additions.</summary>
    public static IReadOnlyList<string> Added(string directory, PhaseState phase, IReadOnlySet<string> produced)
    {
        if (!Directory.Exists(directory)) return [];
        // Before hashes were recorded, the file list is what the pipeline knows it wrote.
        var ours = new HashSet<string>(phase.FileHashes.Keys.Concat(phase.Files).Concat(produced), StringComparer.Ordinal);
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p).Replace('\\', '/'))
            .Where(p => !ours.Contains(p)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Generate: decides about hand edits, then writes <paramref name="project"/>. The folder becomes the
    /// project again, so files that are not part of it (the user's, or edited files no longer generated)
    /// are backed up before the writer removes them.
    /// </summary>
    public static WriteResult BeforeGenerate(StepContext ctx, GeneratedProject project)
    {
        var dir = ctx.ProjectDirectory;
        var phase = ctx.State.Load().Phase(ctx.Phase);
        var produced = project.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var fresh = Hashes(project);
        // A file already holding what is generated now is no edit to decide about: the writer leaves it as it is.
        var allEdited = Detect(dir, phase.FileHashes).Where(f => !fresh.TryGetValue(f, out var now) || FileBackups.Hash(Full(dir, f)) != now).ToList();
        var edited = allEdited.Where(produced.Contains).ToList();
        var leftovers = Added(dir, phase, produced).Concat(allEdited.Where(f => !produced.Contains(f))).Order(StringComparer.Ordinal).ToList();

        var keep = new HashSet<string>(StringComparer.Ordinal);
        var toBackUp = new List<string>(leftovers);
        var decision = edited.Count == 0 ? (Decision?)null : Decide(ctx.Spec.Settings.Healing).Decision;
        if (decision == Decision.Stop) throw Stop(ctx, Step.Generate, project, edited);
        if (decision == Decision.Keep) keep.UnionWith(edited);
        if (decision == Decision.Regenerate) toBackUp.AddRange(edited);

        var backup = toBackUp.Count == 0 ? null : Backups(ctx).Save($"{ctx.Phase} Generate: {string.Join(", ", toBackUp)}", toBackUp.Select(f => Full(dir, f)));
        if (decision is { } d) Announce(ctx, Step.Generate, d, edited, backup, project, phase.FileHashes);
        if (leftovers.Count > 0) AnnounceRemoval(ctx, leftovers, backup!);
        return ProjectWriter.Write(project, dir, keep);
    }

    /// <summary>
    /// Deploy: decides about files edited since Generate, and writes generated files that were deleted.
    /// The folder is regenerated only when needed (null: left as it was); files the user added stay where they are.
    /// </summary>
    public static WriteResult? BeforeDeploy(StepContext ctx)
    {
        var dir = ctx.ProjectDirectory;
        var state = ctx.State.Load();
        var phase = state.Phase(ctx.Phase);
        var edited = Detect(dir, phase.FileHashes);
        var missing = Missing(dir, phase.FileHashes);
        if (edited.Count == 0 && missing.Count == 0) return null;

        // Same spec, same bytes: this is the project Generate wrote, for the diff and for regenerating.
        var project = WorkflowGenerator.Generate(ctx.Spec, ctx.Phase);
        var produced = project.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        var keep = new HashSet<string>(Added(dir, phase, produced), StringComparer.Ordinal);
        var kept = new HashSet<string>(StringComparer.Ordinal);
        Backup? backup = null;
        var regenerate = missing.Count > 0;
        if (edited.Count > 0)
        {
            var decision = Decide(ctx.Spec.Settings.Healing).Decision;
            if (decision == Decision.Stop) throw Stop(ctx, Step.Deploy, project, edited);
            if (decision == Decision.Keep) kept.UnionWith(edited);
            if (decision == Decision.Regenerate)
            {
                backup = Backups(ctx).Save($"{ctx.Phase} Deploy: {string.Join(", ", edited)}", edited.Select(f => Full(dir, f)));
                regenerate = true;
            }
            Announce(ctx, Step.Deploy, decision, edited, backup, project, phase.FileHashes);
        }
        if (!regenerate) return null;

        if (missing.Count > 0)
            ctx.Log.Info($"{ctx.Phase}: {missing.Count} generated file(s) were deleted since Generate and are written again: {string.Join(", ", missing)}");
        keep.UnionWith(kept);
        var written = ProjectWriter.Write(project, dir, keep);
        ctx.State.Update(s => s.With(ctx.Phase, p => p with { Files = project.Files.Select(f => f.RelativePath).ToList(), FileHashes = Hashes(project) }));
        return written;
    }

    static (Decision Decision, string Reason) Decide(HealingSettings healing)
    {
        // An approval on the command line is for this build: it wins over a Keep set in the project file.
        if (healing.IsApproved(DiagnosisCatalog.HandEdited)) return (Decision.Regenerate, $"-p:CdpApprove={DiagnosisCatalog.HandEdited}");
        return healing.HandEdits switch
        {
            HandEditPolicy.Regenerate => (Decision.Regenerate, "CdpHandEditedFiles=Regenerate"),
            HandEditPolicy.Keep => (Decision.Keep, "CdpHandEditedFiles=Keep"),
            _ when healing.Mode == RunMode.Autonomous => (Decision.Regenerate, "CdpHandEditedFiles=Ask in Autonomous mode"),
            _ => (Decision.Stop, "CdpHandEditedFiles=Ask in HumanInLoop mode"),
        };
    }

    /// <summary>The warning and the run-log decision for a kept or regenerated edit.</summary>
    static void Announce(StepContext ctx, Step step, Decision decision, IReadOnlyList<string> edited, Backup? backup,
        GeneratedProject project, IReadOnlyDictionary<string, string> recorded)
    {
        var reason = Decide(ctx.Spec.Settings.Healing).Reason;
        var files = string.Join(", ", edited.Select(f => Shown(ctx, f)));
        var at = new SourceLocation(Full(ctx.ProjectDirectory, edited[0]));
        if (decision == Decision.Regenerate)
        {
            ctx.Log.Report(Diagnostic.Warning(DiagnosisCatalog.HandEdited,
                $"{ctx.Phase}: {edited.Count} hand-edited generated file(s) regenerated ({reason}): {files}. The edited version is backed up as {backup!.Id} in {Path.Combine(Backups(ctx).Directory, backup.Id)}.", at));
        }
        else
        {
            // Keep means the user's file wins, even when the .cdpproj now generates something else for it:
            // nothing is overwritten under Keep, but the user must hear that their file lacks the change.
            var fresh = Hashes(project);
            var stale = edited.Where(f => recorded.TryGetValue(f, out var old) && fresh.TryGetValue(f, out var now) && old != now).ToList();
            var lacks = stale.Count == 0 ? "" :
                $" The .cdpproj now generates a different {string.Join(", ", stale.Select(f => Shown(ctx, f)))}; the kept file does not have that change (regenerate with -p:CdpApprove={DiagnosisCatalog.HandEdited} to take it, after a backup).";
            ctx.Log.Report(Diagnostic.Warning("CDP6112",
                $"{ctx.Phase}: {edited.Count} hand-edited generated file(s) kept as they are ({reason}) and deployed as edited: {files}.{lacks}", at));
        }
        RunLog.Beside(ctx.State.Path).Write("decision", ctx.State.Load().PipelineId, ctx.Phase.ToString(), step.ToString(), new Dictionary<string, object?>
        {
            ["decision"] = decision == Decision.Regenerate ? "regenerate_hand_edits" : "keep_hand_edits",
            ["diagnosis"] = DiagnosisCatalog.HandEdited,
            ["files"] = edited,
            ["backup"] = backup?.Id,
            ["reason"] = reason,
        });
    }

    static void AnnounceRemoval(StepContext ctx, IReadOnlyList<string> leftovers, Backup backup)
    {
        ctx.Log.Info($"{ctx.Phase}: {leftovers.Count} file(s) in the generated folder are not part of the generated project and were removed: "
            + $"{string.Join(", ", leftovers.Select(f => Shown(ctx, f)))} (backed up as {backup.Id} in {Path.Combine(Backups(ctx).Directory, backup.Id)}).", important: true);
        RunLog.Beside(ctx.State.Path).Write("decision", ctx.State.Load().PipelineId, ctx.Phase.ToString(), Step.Generate.ToString(), new Dictionary<string, object?>
        {
            ["decision"] = "remove_unknown_files", ["files"] = leftovers, ["backup"] = backup.Id,
            ["reason"] = "the generated folder holds exactly the generated project",
        });
    }

    /// <summary>The CDP6111 stop: which files, what changed in them, and the two switches that decide.</summary>
    static CdpException Stop(StepContext ctx, Step step, GeneratedProject project, IReadOnlyList<string> edited)
    {
        var generated = project.Files.ToDictionary(f => f.RelativePath, f => f.Content, StringComparer.Ordinal);
        var diffs = edited.Take(DiffedFiles)
            .Select(f => LineDiff.Unified(generated.GetValueOrDefault(f, ""), File.ReadAllText(Full(ctx.ProjectDirectory, f)), "generated/" + f, "edited/" + f))
            .Where(d => d.Length > 0);
        var more = edited.Count > DiffedFiles ? $"(and {edited.Count - DiffedFiles} more edited file(s))\n" : "";
        var consequence = step == Step.Generate ? "Generating the phase again would overwrite them." : "Deploying would upload them as edited.";
        // The stop itself is recorded by StepHealer (run-log decision "stop", and the phase's PendingFix).
        return new CdpException(DiagnosisCatalog.HandEdited,
            $"{ctx.Phase}: {edited.Count} generated file(s) were edited by hand since Generate wrote them: {string.Join(", ", edited.Select(f => Shown(ctx, f)))}. {consequence}\n"
            + string.Concat(diffs) + more
            + $"Decide, then build again: -p:CdpApprove={DiagnosisCatalog.HandEdited} regenerates them (the edited files are backed up under {Backups(ctx).Directory} first), "
            + "or -p:CdpHandEditedFiles=Keep keeps and deploys them as they are. To keep a change for good, move it into the .cdpproj (e.g. TransformSql).",
            new SourceLocation(Full(ctx.ProjectDirectory, edited[0])));
    }

    static FileBackups Backups(StepContext ctx) => new(ctx.BackupsDirectory);

    static string Full(string directory, string relative) => Path.Combine(directory, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>A file as the user finds it under the generated folder, e.g. staging/queries/pos_members.sql.</summary>
    static string Shown(StepContext ctx, string relative) => $"{ctx.Phase.FolderName()}/{relative}";
}

using System.Text.Json;
using CdpSdk.Core.Fixes;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Healing;

/// <summary>A column rename a fix wrote into the .cdpproj, and the project file's hash right after it.</summary>
public sealed record ProjectFix(Phase Phase, string From, string To, string ProjectSha256);

/// <summary>
/// MSBuild evaluates a project once per build, so phases built after a fix edited the .cdpproj still see
/// the old items. obj/cdp/project_fixes.json remembers the fix; while the project file is exactly as the
/// fix left it, the configuration read from that stale evaluation is corrected the same way. A fresh
/// evaluation already has the fix (the correction changes nothing); a later edit of the file ends it.
/// </summary>
public static class ProjectFixes
{
    const string FileName = "project_fixes.json";

    public static void Record(string intermediateDir, string projectFile, ProjectFix fix)
    {
        var path = Path.Combine(intermediateDir, FileName);
        var fixes = Read(path).Where(f => f.ProjectSha256 != fix.ProjectSha256 || f.Phase != fix.Phase || f.From != fix.From).ToList();
        // Earlier fixes stay valid only for the file as it is now, after this one.
        fixes = fixes.Select(f => f with { ProjectSha256 = fix.ProjectSha256 }).Append(fix).ToList();
        Directory.CreateDirectory(intermediateDir);
        File.WriteAllText(path, JsonSerializer.Serialize(fixes));
    }

    /// <param name="readOnly">-t:CdpPlan: a stale fix is ignored but not deleted, since the plan changes nothing.</param>
    public static PipelineSpec ApplyTo(PipelineSpec spec, string intermediateDir, string projectFile, bool readOnly = false)
    {
        var path = Path.Combine(intermediateDir, FileName);
        var fixes = Read(path);
        if (fixes.Count == 0) return spec;
        if (!File.Exists(projectFile) || FileBackups.Hash(projectFile) != fixes[0].ProjectSha256)
        {
            if (!readOnly) File.Delete(path); // the project was edited since: what MSBuild read is what the user wants
            return spec;
        }
        return fixes.Aggregate(spec, (s, f) => ColumnRename.Patch(s, f.Phase, f.From, f.To));
    }

    static IReadOnlyList<ProjectFix> Read(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<List<ProjectFix>>(File.ReadAllText(path)) ?? [] : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}

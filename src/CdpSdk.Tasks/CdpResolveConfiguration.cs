using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Local.Warehouse;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CdpSdk.Tasks;

/// <summary>
/// Reads the .cdpproj into the validated model, writes it to obj/cdp/spec.json and one configuration
/// hash stamp per phase (each written only when it changed). Runs on every build; the step targets after it are what get skipped.
/// </summary>
public sealed class CdpResolveConfiguration : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SdkVersion { get; set; } = "";

    /// <summary>Each Cdp property as an item: Include = name, Value = evaluated value.</summary>
    public ITaskItem[] Properties { get; set; } = [];
    public ITaskItem[] Sources { get; set; } = [];
    public ITaskItem[] Objects { get; set; } = [];
    public ITaskItem[] HistUnion { get; set; } = [];
    public ITaskItem[] Staging { get; set; } = [];
    public ITaskItem[] Unifications { get; set; } = [];
    public ITaskItem[] UnificationKeys { get; set; } = [];
    public ITaskItem[] UnificationTables { get; set; } = [];
    public ITaskItem[] Checks { get; set; } = [];

    public ITaskItem[] UnificationMasterAttributes { get; set; } = [];

    /// <summary>The phase of this build, empty for a build of every phase.</summary>
    public string Phase { get; set; } = "";

    [Output] public string SpecFile { get; set; } = "";
    [Output] public ITaskItem[] PhaseInputFiles { get; set; } = [];

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        try
        {
            var raw = BuildRawProject();
            var result = PipelineSpecReader.Read(raw, CdpSdk.TreasureData.ApiKeySource.FromProcess);
            foreach (var d in result.Diagnostics) log.Report(d);
            if (result.Spec is not { } spec) return false;
            spec = Core.Healing.ProjectFixes.ApplyTo(spec, IntermediateDir, ProjectFile);
            EnvironmentLogWarning.Check(spec, log);

            SpecFile = Path.Combine(IntermediateDir, "spec.json");
            Core.Model.SpecFile.WriteIfChanged(SpecFile, Core.Model.SpecFile.Serialize(spec));
            foreach (var phase in PhaseOrder.All)
                Core.Model.SpecFile.WriteIfChanged(ConfigStamp(IntermediateDir, phase), PhaseConfiguration.Hash(spec, phase, SdkVersion) + "\n");
            if (spec.Settings.Target == TargetKind.Local && !File.Exists(DuckDbWarehouse.FileIn(spec.Settings.WarehouseDir, spec.Settings.Client)))
                ForgetRuns();
            RegenerateDeletedFiles(spec);

            if (Phase.Length > 0 && PhaseOrder.TryParse(Phase, out var current))
            {
                PhaseInputFiles = PhaseConfiguration.InputFiles(spec, current).Select(f => (ITaskItem)new TaskItem(f)).ToArray();
            }
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>
    /// The Local warehouse is gone (deleted by hand, or never built here): what Deploy, Execute, Monitor
    /// and Validate did is gone with it, so their stamps must not let the next build skip them.
    /// </summary>
    void ForgetRuns()
    {
        foreach (var phase in PhaseOrder.All)
            foreach (var step in PhaseOrder.Steps.Where(s => s != Step.Generate))
            {
                var stamp = Path.Combine(IntermediateDir, phase.ToString(), step.ToString().ToLowerInvariant() + ".stamp");
                if (File.Exists(stamp)) File.Delete(stamp);
            }
        var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json"));
        if (File.Exists(state.Path))
            state.Update(s => PhaseOrder.All.Aggregate(s, (acc, phase) => acc.With(phase, p => p with { Status = PhaseStatus.NotStarted, CurrentStep = null, Skip = null })));
    }

    /// <summary>
    /// A generated file or folder deleted by hand is written again. When the phase's configuration still
    /// generates exactly what was recorded (and deployed), the missing files get their bytes back with the
    /// generate stamp's time, so Deploy and Execute stay up to date and nothing runs twice; otherwise the
    /// generate stamp goes and Generate runs as for any change.
    /// </summary>
    void RegenerateDeletedFiles(Core.Model.PipelineSpec spec)
    {
        var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json"));
        if (!File.Exists(state.Path)) return;
        PipelineState current;
        try { current = state.Load(); }
        catch (CdpException) { return; } // reported by the step that reads it (CDP9001)
        foreach (var phase in PhaseOrder.All)
        {
            var folder = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
            var recorded = current.Phase(phase).FileHashes;
            var missing = recorded.Keys.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
            var stamp = Path.Combine(IntermediateDir, phase.ToString(), "generate.stamp");
            if (missing.Count == 0 || !File.Exists(stamp)) continue;
            var project = Core.Generation.WorkflowGenerator.Generate(spec, phase);
            if (!Core.Phases.HandEditedFiles.Hashes(project).SequenceEqual(recorded))
            {
                File.Delete(stamp);
                continue;
            }
            var written = File.GetLastWriteTimeUtc(stamp);
            foreach (var file in project.Files.Where(f => missing.Contains(f.RelativePath)))
            {
                var path = Path.Combine(folder, file.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, Core.Generation.ProjectWriter.Bytes(file));
                File.SetLastWriteTimeUtc(path, written);
            }
            Log.LogMessage(MessageImportance.High, "{0}: {1} generated file(s) deleted by hand written again ({2})", phase, missing.Count, string.Join(", ", missing.Take(3)));
        }
    }

    public static string ConfigStamp(string intermediateDir, Phase phase) => Path.Combine(intermediateDir, phase.ToString(), "config.hash");

    RawProject BuildRawProject()
    {
        var locator = new ProjectXmlLocator(ProjectFile);
        var properties = Properties.ToDictionary(
            p => p.ItemSpec,
            p => new RawProperty(p.ItemSpec, p.GetMetadata("Value"), locator.PropertyLocation(p.ItemSpec)),
            StringComparer.OrdinalIgnoreCase);

        var items = new List<RawItem>();
        void Add(string type, ITaskItem[] list) =>
            items.AddRange(list.Select((item, index) =>
            {
                var occurrence = list.Take(index).Count(earlier => string.Equals(earlier.ItemSpec, item.ItemSpec, StringComparison.OrdinalIgnoreCase));
                return new RawItem(type, item.ItemSpec, Custom(item), locator.ItemLocation(type, item.ItemSpec, occurrence));
            }));
        Add("CdpSource", Sources);
        Add("CdpObject", Objects);
        Add("CdpHistUnion", HistUnion);
        Add("CdpStaging", Staging);
        Add("CdpUnification", Unifications);
        Add("CdpUnificationKey", UnificationKeys);
        Add("CdpUnificationTable", UnificationTables);
        Add("CdpCheck", Checks);
        Add("CdpUnificationMasterAttribute", UnificationMasterAttributes);

        var known = SettingsCatalog.Items.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var declaredItems = items.Concat(locator.DeclaredItemsExcept(known)).ToList();
        return new RawProject(ProjectFile, properties, items, [.. locator.DeclaredProperties, .. CommandLineProperties(locator.DeclaredProperties)], declaredItems);
    }

    /// <summary>
    /// Cdp properties given as global properties (<c>-p:CdpMonitorTimout=5</c>) and not written in the project
    /// file: checked like declared ones, so a typo on the command line is CDP0001 instead of being ignored.
    /// </summary>
    IEnumerable<RawProperty> CommandLineProperties(IReadOnlyList<RawProperty> declared)
    {
        if (BuildEngine is not IBuildEngine6 engine) return [];
        var written = declared.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return engine.GetGlobalProperties()
            .Where(g => g.Key.StartsWith("Cdp", StringComparison.OrdinalIgnoreCase) && !written.Contains(g.Key))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new RawProperty(g.Key, g.Value, new SourceLocation(ProjectFile)));
    }

    static IReadOnlyDictionary<string, string> Custom(ITaskItem item)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (System.Collections.DictionaryEntry e in item.CloneCustomMetadata())
            result[(string)e.Key] = (string?)e.Value ?? "";
        return result;
    }
}

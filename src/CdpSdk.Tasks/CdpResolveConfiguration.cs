using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Planning;
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
    public ITaskItem[] Tests { get; set; } = [];

    public ITaskItem[] UnificationMasterAttributes { get; set; } = [];

    /// <summary>The phase of this build, empty for a build of every phase.</summary>
    public string Phase { get; set; } = "";

    /// <summary>The last step the build asks for (Generate … Validate); empty: the build runs no step (CdpReport), so nothing is planned.</summary>
    public string Goal { get; set; } = "";

    /// <summary>-t:CdpPlan: compute and print the plan, write nothing.</summary>
    public bool DryRun { get; set; }

    /// <summary>A phase build dispatched by the build the user started: it applies that build's plan instead of making its own.</summary>
    public bool Dispatched { get; set; }

    public string BuildStartedAt { get; set; } = "";

    /// <summary>The user's CdpGenerateDependsOn targets, run before this task (named in a hook_data reason).</summary>
    public string Hooks { get; set; } = "";

    /// <summary>text (default) or json, for -t:CdpPlan.</summary>
    public string PlanFormat { get; set; } = "";

    /// <summary>Where -t:CdpPlan writes its JSON; empty: into the log.</summary>
    public string PlanFile { get; set; } = "";

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
            spec = Core.Healing.ProjectFixes.ApplyTo(spec, IntermediateDir, ProjectFile, readOnly: DryRun);
            EnvironmentLogWarning.Check(spec, log);

            SpecFile = Path.Combine(IntermediateDir, "spec.json");
            if (!DryRun) Core.Model.SpecFile.WriteIfChanged(SpecFile, Core.Model.SpecFile.Serialize(spec));
            if (spec.Settings.Target == TargetKind.Local && !File.Exists(DuckDbWarehouse.FileIn(spec.Settings.WarehouseDir, spec.Settings.Client)))
                ForgetRuns();
            // The plan reads the previous config.hash, so it is made before the hashes are written.
            var plan = MakePlan(spec);
            if (DryRun)
            {
                if (plan is not null) PrintPlan(plan);
                return !Log.HasLoggedErrors;
            }
            foreach (var phase in PhaseOrder.All)
                Core.Model.SpecFile.WriteIfChanged(ConfigStamp(IntermediateDir, phase), PhaseConfiguration.Hash(spec, phase, SdkVersion) + "\n");
            if (plan is not null) ApplyPlan(plan, spec, log);

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

    bool _warehouseGone;

    /// <summary>
    /// The Local warehouse is gone (deleted by hand, or never built here): what Deploy, Execute, Monitor
    /// and Validate did is gone with it. The plan makes those steps run (reason warehouse_gone) and the
    /// phases incomplete until they do.
    /// </summary>
    void ForgetRuns() => _warehouseGone = true;

    /// <summary>
    /// The plan of this build: made here when this is the build the user started (after the user's hooks,
    /// which run before this target), taken from obj/cdp/plan.json in the phase builds it dispatches.
    /// </summary>
    BuildPlan? MakePlan(Core.Model.PipelineSpec spec)
    {
        if (!Enum.TryParse<Step>(Goal, ignoreCase: true, out var goal)) return null;
        Core.Model.Phase? only = Phase.Length > 0 && PhaseOrder.TryParse(Phase, out var p) ? p : null;
        if (Dispatched && !DryRun && Core.Planning.PlanFile.LoadFor(IntermediateDir, BuildStartedAt) is { } given) return given;
        var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")).Load(); // a corrupt state is CDP9001 here, before any step
        var facts = new PlanFacts(state, PlanReader.Read(spec, state, IntermediateDir, SdkVersion, BuildStartedAt),
            only is { } one ? [one] : PhaseOrder.All, goal, _warehouseGone, spec.Settings.Healing.SkipFailed.ToHashSet(), Hooks.Trim(';', ' '), BuildStartedAt,
            spec.Settings.Target == TargetKind.Local);
        var plan = Planner.Plan(facts);
        return DryRun ? PlanReader.WithGeneratedChanges(plan, spec, state) : plan;
    }

    /// <summary>The build the user started writes the plan for its phase builds and logs it; a phase build brings its stamps and state in line with it.</summary>
    void ApplyPlan(BuildPlan plan, Core.Model.PipelineSpec spec, MSBuildLog log)
    {
        if (!Dispatched)
        {
            Core.Planning.PlanFile.Save(IntermediateDir, plan);
            Log.LogMessage(MessageImportance.Normal, "{0}", PlanText.Render(plan, Path.GetFileNameWithoutExtension(ProjectFile)).TrimEnd());
        }
        if (Phase.Length > 0 && PhaseOrder.TryParse(Phase, out var phase) && plan.Phase(phase) is { } phasePlan)
            PlanApplier.Apply(phasePlan, spec, IntermediateDir, new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")), log);
    }

    /// <summary>-t:CdpPlan: the plan as text at high importance, or as JSON into CdpPlanFile (or the log). The reader checked CdpPlanFormat (CDP0180).</summary>
    void PrintPlan(BuildPlan plan)
    {
        if (string.Equals(PlanFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            var json = Core.Planning.PlanFile.Serialize(plan);
            if (PlanFile.Length == 0) { Log.LogMessage(MessageImportance.High, "{0}", json.TrimEnd()); return; }
            var path = Path.GetFullPath(PlanFile, Path.GetDirectoryName(ProjectFile)!);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, json);
            Log.LogMessage(MessageImportance.High, "{0} -> {1}", Path.GetFileNameWithoutExtension(ProjectFile), path);
            return;
        }
        Log.LogMessage(MessageImportance.High, "{0}", PlanText.Render(plan, Path.GetFileNameWithoutExtension(ProjectFile)).TrimEnd());
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
        Add("CdpTest", Tests);
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

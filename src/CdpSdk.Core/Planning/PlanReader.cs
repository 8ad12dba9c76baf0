using System.Globalization;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.Core.Text;

namespace CdpSdk.Core.Planning;

/// <summary>Reads the facts a plan is made of: the phase's inputs now and as last generated, its stamps, its generated folder. Writes nothing.</summary>
public static class PlanReader
{
    public static string StampPath(string intermediateDir, Phase phase, Step step) =>
        Path.Combine(intermediateDir, phase.ToString(), step.ToString().ToLowerInvariant() + ".stamp");

    public static string ConfigHashPath(string intermediateDir, Phase phase) => Path.Combine(intermediateDir, phase.ToString(), "config.hash");

    /// <summary>The facts of every phase (the planner looks at upstream phases outside the build too).</summary>
    public static IReadOnlyDictionary<Phase, PhaseFacts> Read(PipelineSpec spec, PipelineState state, string intermediateDir, string sdkVersion, string buildStartedAt) =>
        PhaseOrder.All.ToDictionary(p => p, p => ReadPhase(spec, state, intermediateDir, sdkVersion, buildStartedAt, p));

    static PhaseFacts ReadPhase(PipelineSpec spec, PipelineState state, string intermediateDir, string sdkVersion, string buildStartedAt, Phase phase)
    {
        var current = PhaseInputs.Of(spec, phase, sdkVersion);
        var configHash = ConfigHashPath(intermediateDir, phase);
        var stamps = PhaseOrder.Steps.Where(s => File.Exists(StampPath(intermediateDir, phase, s))).ToHashSet();

        var started = DateTimeOffset.TryParse(buildStartedAt, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at.UtcDateTime : DateTime.MaxValue;
        var written = current.Files.Keys
            .Where(f => File.Exists(Path.Combine(spec.Settings.ProjectDirectory, f)) && File.GetLastWriteTimeUtc(Path.Combine(spec.Settings.ProjectDirectory, f)) >= started)
            .ToHashSet(StringComparer.Ordinal);

        var recorded = state.Phase(phase).FileHashes;
        var folder = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
        var deployStamp = StampPath(intermediateDir, phase, Step.Deploy);
        var edited = HandEditedFiles.Detect(folder, recorded)
            .Where(f => !File.Exists(deployStamp) || File.GetLastWriteTimeUtc(Path.Combine(folder, f)) > File.GetLastWriteTimeUtc(deployStamp))
            .ToList();
        var deleted = stamps.Contains(Step.Generate) ? HandEditedFiles.Missing(folder, recorded) : [];
        // Generating costs milliseconds but is needed only to tell a deletion that can be undone from one that needs a new Generate.
        var same = deleted.Count > 0 && HandEditedFiles.Hashes(WorkflowGenerator.Generate(spec, phase)).SequenceEqual(recorded);

        return new PhaseFacts(phase, current, PhaseInputs.Load(intermediateDir, phase),
            File.Exists(configHash) ? File.ReadAllText(configHash).Trim() : null,
            stamps, written, edited, deleted, same)
        {
            Tables = PhaseTables.Expected(spec, phase).Select(t => $"{t.Database}.{t.Table}").ToList(),
        };
    }

    /// <summary>
    /// What Generate would change in each phase it runs for: files added, changed (with a short diff against the
    /// generated folder as it is) or removed. For -t:CdpPlan; a normal build does not need it.
    /// </summary>
    public static BuildPlan WithGeneratedChanges(BuildPlan plan, PipelineSpec spec, PipelineState state) =>
        plan with
        {
            Phases = plan.Phases.Select(p => p.Step(Step.Generate)?.Decision != StepDecision.WillRun ? p : p with
            {
                GeneratedChanges = GeneratedChanges(spec, state.Phase(p.Phase), p.Phase),
            }).ToList(),
        };

    static IReadOnlyList<GeneratedFileChange> GeneratedChanges(PipelineSpec spec, PhaseState state, Phase phase)
    {
        var folder = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
        var project = WorkflowGenerator.Generate(spec, phase);
        var changes = new List<GeneratedFileChange>();
        foreach (var file in project.Files.OrderBy(f => f.RelativePath, StringComparer.Ordinal))
        {
            var path = Path.Combine(folder, file.RelativePath);
            var shown = $"{phase.FolderName()}/{file.RelativePath}";
            if (!File.Exists(path)) { changes.Add(new GeneratedFileChange(shown, "added", "")); continue; }
            var now = file.Content;
            var diff = LineDiff.Unified(File.ReadAllText(path), now, "last generated/" + shown, "would generate/" + shown);
            if (diff.Length > 0) changes.Add(new GeneratedFileChange(shown, "changed", diff));
        }
        var produced = project.Files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in state.FileHashes.Keys.Concat(state.Files).Distinct().Where(f => !produced.Contains(f) && File.Exists(Path.Combine(folder, f))).Order(StringComparer.Ordinal))
            changes.Add(new GeneratedFileChange($"{phase.FolderName()}/{gone}", "removed", ""));
        return changes;
    }
}

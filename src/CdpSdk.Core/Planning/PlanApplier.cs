using CdpSdk.Core.Backend;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Planning;

/// <summary>
/// Brings one phase's stamps and state in line with the plan before its steps run, so MSBuild's own
/// Inputs/Outputs check (which the binlog shows) skips exactly the steps the plan says are up to date:
/// a step that runs loses its stamp; a step that is up to date gets a stamp at least as new as its inputs
/// (a data file copied again with the same bytes is newer, not changed); generated files deleted by hand are
/// written back dated like the generate stamp; a phase whose warehouse is gone is no longer complete.
/// </summary>
public static class PlanApplier
{
    public static void Apply(PhasePlan plan, PipelineSpec spec, string intermediateDir, StateStore state, ICdpLog log)
    {
        var phase = plan.Phase;
        Restore(plan, spec, intermediateDir, log);
        if (plan.Steps.Any(s => s.Reasons.Any(r => r.Kind == ReasonKinds.WarehouseGone)) && File.Exists(state.Path))
            state.Update(s => s.With(phase, p => p with { Status = PhaseStatus.NotStarted, CurrentStep = null, Skip = null }));
        foreach (var step in plan.Steps)
        {
            var stamp = PlanReader.StampPath(intermediateDir, phase, step.Step);
            switch (step.Decision)
            {
                case StepDecision.WillRun or StepDecision.Skipped:
                    if (File.Exists(stamp)) File.Delete(stamp);
                    break;
                case StepDecision.UpToDate when File.Exists(stamp):
                    var newest = MSBuildInputs(spec, intermediateDir, phase, step.Step).Where(File.Exists).Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MinValue).Max();
                    if (newest > File.GetLastWriteTimeUtc(stamp)) File.SetLastWriteTimeUtc(stamp, DateTime.UtcNow);
                    break;
            }
        }
    }

    /// <summary>The step target's Inputs as CdpSdk.targets declares them.</summary>
    static IEnumerable<string> MSBuildInputs(PipelineSpec spec, string intermediateDir, Phase phase, Step step)
    {
        if (step != Step.Generate && step != Step.Deploy) return [PlanReader.StampPath(intermediateDir, phase, step - 1)];
        if (step == Step.Deploy)
        {
            var folder = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
            var files = Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories) : [];
            return files.Prepend(PlanReader.StampPath(intermediateDir, phase, Step.Generate));
        }
        var inputs = new List<string>(PhaseConfiguration.InputFiles(spec, phase)) { PlanReader.ConfigHashPath(intermediateDir, phase) };
        if (phase.Upstream() is { } upstream) inputs.Add(PlanReader.StampPath(intermediateDir, upstream, Step.Validate));
        return inputs;
    }

    /// <summary>
    /// Deleted generated files the configuration still generates byte for byte get those bytes back, dated like
    /// the generate stamp, so Deploy and Execute stay up to date and nothing runs twice (a new Generate would mean
    /// a new session, and the ingestion log appended again).
    /// </summary>
    static void Restore(PhasePlan plan, PipelineSpec spec, string intermediateDir, ICdpLog log)
    {
        if (plan.RestoredFiles.Count == 0) return;
        var stamp = PlanReader.StampPath(intermediateDir, plan.Phase, Step.Generate);
        var written = File.Exists(stamp) ? File.GetLastWriteTimeUtc(stamp) : DateTime.UtcNow;
        var folder = Path.Combine(spec.Settings.GeneratedDir, plan.Phase.FolderName());
        var project = WorkflowGenerator.Generate(spec, plan.Phase);
        foreach (var file in project.Files.Where(f => plan.RestoredFiles.Contains(f.RelativePath)))
        {
            var path = Path.Combine(folder, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, ProjectWriter.Bytes(file));
            File.SetLastWriteTimeUtc(path, written);
        }
        log.Info($"{plan.Phase}: {plan.RestoredFiles.Count} generated file(s) deleted by hand written again ({string.Join(", ", plan.RestoredFiles.Take(3))})", important: true);
    }
}

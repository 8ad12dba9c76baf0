using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Planning;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Runs one step (Generate, Deploy, Execute, Monitor or Validate) of one phase, then touches the step's
/// stamp so the next build can skip it. A thin adapter: the work is in CdpSdk.Core's StepHealer (retries,
/// diagnosis, fixes) and PhaseRunner.
/// </summary>
public sealed class CdpRunStep : Microsoft.Build.Utilities.Task, ICancelableTask
{
    readonly CancellationTokenSource _cancel = new();

    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";
    [Required] public string Phase { get; set; } = "";
    [Required] public string Step { get; set; } = "";
    [Required] public string StampFile { get; set; } = "";
    public string SdkVersion { get; set; } = "";

    /// <summary>When the build the user started began: names this build's plan (obj/cdp/plan.json).</summary>
    public string BuildStartedAt { get; set; } = "";

    /// <summary>
    /// True when the terminal logger draws the build ($(_MSBUILDTLENABLED), set by MSBuild): Execute and Monitor
    /// then show the workflow and task in progress on its live line.
    /// </summary>
    public bool LiveStatus { get; set; }

    /// <summary>$(MSBuildProjectName), the name the terminal logger's live line starts with.</summary>
    public string ProjectName { get; set; } = "";

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        using var live = LiveStatus && Step is "Execute" or "Monitor" ? new TerminalLoggerStatus(BuildEngine, ProjectName, $"{Phase} {Step}") : null;
        var log = new MSBuildLog(Log, ProjectFile, live);
        StepContext? ctx = null;
        try
        {
            if (!PhaseOrder.TryParse(Phase, out var phase) || !Enum.TryParse<Step>(Step, out var step))
                throw new CdpException("CDP9003", $"Unknown phase '{Phase}' or step '{Step}'.");
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var configStamp = CdpResolveConfiguration.ConfigStamp(IntermediateDir, phase);
            var hash = File.ReadAllText(configStamp).Trim();
            ctx = new StepContext(spec, phase, hash, new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")),
                () => BackendFactory.Create(spec, log), log, _cancel.Token)
            {
                SdkVersion = SdkVersion,
                BackendFor = s => BackendFactory.Create(s, log),
                ProjectFile = ProjectFile,
            };

            if (PhaseSkip.TrySkip(ctx, step)) { DeleteStamp(); return !Log.HasLoggedErrors; }
            var reason = Reason(phase, step);
            Log.LogMessage(MessageImportance.High, "{0} {1} runs: {2}", phase, step, reason);
            ctx = ctx with { Reason = reason };
            var outcome = StepHealer.RunAsync(ctx, step).GetAwaiter().GetResult();
            if (outcome.Skipped) { DeleteStamp(); return !Log.HasLoggedErrors; }
            if (outcome.Context.ConfigHash != hash)
            {
                // A fix changed the phase's configuration (a corrected column name): the rest of this build and
                // the next one must see the fixed configuration, not re-run the phase for it.
                Core.Model.SpecFile.WriteIfChanged(SpecFile, Core.Model.SpecFile.Serialize(outcome.Context.Spec with { Settings = spec.Settings }));
                Core.Model.SpecFile.WriteIfChanged(configStamp, outcome.Context.ConfigHash + "\n");
            }
            // Steps a fix made run again are done too; their stamps go first so they stay older than this one.
            var stampDir = Path.GetDirectoryName(StampFile)!;
            void Stamp(string path, Step done) => Core.Model.SpecFile.WriteIfChanged(path, $"{phase} {done} {DateTimeOffset.UtcNow:O}\n");
            foreach (var earlier in outcome.StepsRun.Where(s => s != step))
                Stamp(Path.Combine(stampDir, earlier.ToString().ToLowerInvariant() + ".stamp"), earlier);
            // What Generate was made from, setting by setting and file by file: the next plan names what changed since.
            if (outcome.StepsRun.Contains(Core.Model.Step.Generate) || step == Core.Model.Step.Generate)
                PhaseInputs.Of(outcome.Context.Spec with { Settings = spec.Settings }, phase, SdkVersion).Save(IntermediateDir, phase);
            Stamp(StampFile, step);
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The machine, not the SDK: a full disk, a read-only or missing folder. .NET's message names the path.
            log.Report(Diagnostic.Error("CDP9006", $"{Phase} {Step} could not read or write a file: {e.Message} Check the free space of the disk and that the project's obj/, bin/ and warehouse folders are writable folders, then build again: the step resumes."));
            Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
        }
        catch (Exception e) when (e is not OperationCanceledException and not CdpException)
        {
            // Not a user mistake but a defect (or an environment we did not foresee): a coded error, the stack only in the detailed log.
            log.Report(Diagnostic.Error("CDP9005", $"{Phase} {Step} failed unexpectedly: {e.GetType().Name}: {e.Message} Please report it with the binlog (-bl); build again to retry."));
            Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning(null, "CDP9004", null, Diagnostic.HelpBase + "cdp9004", ProjectFile, 0, 0, 0, 0, "{0}", $"{Phase} {Step} was cancelled.");
            if (ctx is not null && Step is "Execute" or "Monitor" && ctx.Spec.Settings.TreasureData.KillOnCancel)
                KillOnCancel.Run(ctx);
            return false;
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Why the step runs, as this build's plan says; MSBuild's own reason when the plan has none for it.</summary>
    string Reason(Core.Model.Phase phase, Core.Model.Step step)
    {
        var planned = PlanFile.LoadFor(IntermediateDir, BuildStartedAt)?.Step(phase, step);
        return planned is { Decision: StepDecision.WillRun, Reasons.Count: > 0 }
            ? planned.Because()
            : "its inputs are newer than its stamp (MSBuild's check; the plan of this build does not run it)";
    }

    /// <summary>
    /// A skipped step leaves no stamp, so a build without CdpSkipFailedPhase runs it again; an old stamp (from
    /// a run before the failure) would also let the next phase's Generate look up to date on the skipped output.
    /// </summary>
    void DeleteStamp()
    {
        if (File.Exists(StampFile)) File.Delete(StampFile);
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Runs one step (Generate, Deploy, Execute, Monitor or Validate) of one phase, then touches the step's
/// stamp so the next build can skip it. A thin adapter: the work is in CdpSdk.Core's PhaseRunner.
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

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        StepContext? ctx = null;
        try
        {
            if (!PhaseOrder.TryParse(Phase, out var phase) || !Enum.TryParse<Step>(Step, out var step))
                throw new CdpException("CDP9003", $"Unknown phase '{Phase}' or step '{Step}'.");
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var hash = File.ReadAllText(CdpResolveConfiguration.ConfigStamp(IntermediateDir, phase)).Trim();
            ctx = new StepContext(spec, phase, hash, new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")),
                () => BackendFactory.Create(spec, log), log, _cancel.Token);

            if (PhaseSkip.TrySkip(ctx, step)) { DeleteStamp(); return !Log.HasLoggedErrors; }
            PhaseRunner.RunAsync(ctx, step).GetAwaiter().GetResult();
            Core.Model.SpecFile.WriteIfChanged(StampFile, $"{phase} {step} {DateTimeOffset.UtcNow:O}\n");
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
            Explain(e.Diagnostic, ctx);
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

    /// <summary>
    /// A skipped step leaves no stamp, so a build without CdpSkipFailedPhase runs it again; an old stamp (from
    /// a run before the failure) would also let the next phase's Generate look up to date on the skipped output.
    /// </summary>
    void DeleteStamp()
    {
        if (File.Exists(StampFile)) File.Delete(StampFile);
    }

    /// <summary>
    /// Follows a failure with its diagnosis from the catalogue (cause and proposed fix), so the user sees
    /// what to do next. The fix is only proposed: applying fixes is not wired into the build yet.
    /// </summary>
    void Explain(Diagnostic failure, StepContext? ctx)
    {
        var phase = PhaseOrder.TryParse(Phase, out var p) ? p : (Phase?)null;
        var step = Enum.TryParse<Step>(Step, out var s) ? s : (Step?)null;
        var columns = ctx is not null && Core.Diagnosis.FailurePatterns.MissingColumn().IsMatch(failure.Message) ? InputColumns(ctx) : null;
        var d = Core.Diagnosis.DiagnosisCatalog.Diagnose(new Core.Diagnosis.Failure(failure.Code, failure.Message, phase, step, failure.Location.File, columns));
        if (d.Code == Core.Diagnosis.DiagnosisCatalog.Unknown) return;
        var how = d.Fix.Command is { } command ? $" Command: {command}" : d.Fix.Diff is { } diff ? $" Change: {diff.ReplaceLineEndings(" → ").Replace("- ", "").Replace("+ ", "")}" : "";
        Log.LogMessage(MessageImportance.High, "{0}", $"Diagnosis {d.Code} ({d.Title}, confidence {d.Confidence:0.##}): {d.Cause} Proposed fix: {d.Fix.Description}{how}{(how.Length > 0 ? "." : "")} See {Diagnostic.HelpBase}{d.Code.ToLowerInvariant()}");
    }

    /// <summary>The columns of the tables the phase reads, so a wrong column name can be matched to the closest real one.</summary>
    static IReadOnlyList<string>? InputColumns(StepContext ctx)
    {
        var spec = ctx.Spec;
        IEnumerable<(string Database, string Table)> inputs = ctx.Phase switch
        {
            Core.Model.Phase.HistUnion => spec.HistUnion.SelectMany(h => new[] { h.HistTable, h.IncTable }.OfType<string>().Select(t => (h.Database, t))),
            Core.Model.Phase.Staging => spec.Staging.Select(t => (t.InputDatabase, t.Input)),
            Core.Model.Phase.Unification => spec.Unifications.SelectMany(u => u.Tables.Select(t => (t.Database, t.Table))),
            _ => [],
        };
        try
        {
            using var backend = ctx.Backend();
            var columns = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var group in inputs.GroupBy(i => i.Database))
            {
                var wanted = group.Select(g => g.Table).ToHashSet(StringComparer.Ordinal);
                foreach (var table in backend.ListTablesAsync(group.Key, CancellationToken.None).GetAwaiter().GetResult().Where(t => wanted.Contains(t.Name)))
                    columns.UnionWith(table.Columns);
            }
            return columns.ToList();
        }
        catch (Exception e) when (e is CdpException or IOException or InvalidOperationException)
        {
            return null; // the diagnosis still helps without suggestions
        }
    }
}

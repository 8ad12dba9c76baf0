using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Hashing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Text;

namespace CdpSdk.Core.Healing;

/// <summary>
/// Turns a diagnosis into the concrete fix for this project, or null when nothing can be applied for the
/// user (credentials, an unknown failure, a wrong name not found in any file the user wrote).
/// </summary>
public static class FixPlanner
{
    public static FixPlan? Plan(StepContext ctx, Diagnosis.Diagnosis d, Step failedStep) => d.Code switch
    {
        // At Generate the files were just written from the .cdpproj: regenerating cannot help, the setting must change.
        DiagnosisCatalog.WorkflowSyntax => failedStep == Step.Generate ? null : Regenerate(ctx),
        DiagnosisCatalog.MissingDatabase => CreateDatabases(ctx, failedStep),
        DiagnosisCatalog.MissingTable => RerunUpstream(ctx),
        DiagnosisCatalog.MissingColumn => RenameColumn(ctx, d),
        DiagnosisCatalog.Timeout => new FixPlan($"Monitor the same sessions again for twice as long ({ctx.Spec.Settings.MonitorTimeout.TotalMinutes * 2:0} minutes).",
            null, failedStep, [], c => Task.FromResult(c.WithSpec(WithTimeout(c.Spec, c.Spec.Settings.MonitorTimeout * 2)))),
        DiagnosisCatalog.KilledAttempt => FixPlan.Rerun("Start a new attempt of the killed session; the tasks that finished are not run again.", Step.Execute),
        DiagnosisCatalog.TransientApi => FixPlan.Rerun($"Run {ResumePoints.RestartPoint(failedStep, d.Failure.Code)} again.", ResumePoints.RestartPoint(failedStep, d.Failure.Code)),
        // A new Generate gives the phase a new session time, so its workflows really run again on the current data.
        DiagnosisCatalog.ValidationFailed => FixPlan.Rerun($"After fixing the data at its source, run the {ctx.Phase} phase again from Generate (a new session) and validate it again. " +
                                                           "If you corrected the tables themselves instead, just build again: Validate runs again without approval.", Step.Generate),
        // Hand edits are decided by the steps themselves (CdpHandEditedFiles); approving means running the step again with the approval.
        DiagnosisCatalog.HandEdited => FixPlan.Rerun("Back up the edited generated files and regenerate them.", failedStep),
        _ => null,
    };

    /// <summary>Generated files are backed up and removed, so Generate writes them afresh.</summary>
    static FixPlan? Regenerate(StepContext ctx)
    {
        var files = Directory.Exists(ctx.ProjectDirectory) ? Directory.GetFiles(ctx.ProjectDirectory, "*", SearchOption.AllDirectories) : [];
        return new FixPlan($"Regenerate the {ctx.Phase} workflow project from the .cdpproj ({files.Length} files backed up first).", null, Step.Generate, files, c =>
        {
            foreach (var file in files) File.Delete(file);
            return Task.FromResult(c);
        });
    }

    static FixPlan? CreateDatabases(StepContext ctx, Step failedStep) => ctx.Spec.Settings.Target != TargetKind.TreasureData ? null :
        new FixPlan("Create the missing databases on Treasure Data (as CdpCreateMissingDatabases=true would), then deploy again.", null,
            failedStep < Step.Deploy ? failedStep : Step.Deploy, [],
            c => Task.FromResult(c.WithSpec(c.Spec with { Settings = c.Spec.Settings with { TreasureData = c.Spec.Settings.TreasureData with { CreateMissingDatabases = true } } })));

    /// <summary>The upstream phase runs again from Generate (a new session, so it really rebuilds its tables), then this phase from Execute.</summary>
    static FixPlan? RerunUpstream(StepContext ctx)
    {
        if (ctx.Phase.Upstream() is not { } upstream) return null;
        return new FixPlan($"Run the {upstream} phase again (Generate to Validate) to rebuild its tables, then {ctx.Phase} from Execute.", null, Step.Execute, [], async c =>
        {
            var hash = c.State.Load().Phase(upstream).ConfigHash ?? PhaseConfiguration.Hash(c.Spec, upstream, c.SdkVersion);
            var up = c with { Phase = upstream, ConfigHash = hash, Attempt = 1 };
            foreach (var step in PhaseOrder.Steps) await PhaseRunner.RunAsync(up, step);
            return c;
        });
    }

    static FixPlan? RenameColumn(StepContext ctx, Diagnosis.Diagnosis d)
    {
        if (d.Failure.Cause.Subject is not { Length: > 0 } wrong) return null;
        var closest = EditDistance.Closest(wrong, d.Failure.KnownColumns ?? []);
        if (closest.Count == 0) return null;
        var right = closest[0].Name;
        var edits = ColumnRename.Plan(ctx.Spec, ctx.Phase, ctx.ProjectFile, wrong, right);
        if (edits.Count == 0) return null;
        var touchesProject = ctx.ProjectFile.Length > 0 && edits.Any(e => e.File == Path.GetFullPath(ctx.ProjectFile));
        return new FixPlan($"Replace '{wrong}' with '{right}' ({edits.Count} line{(edits.Count > 1 ? "s" : "")}), then regenerate and run {ctx.Phase} again.",
            ColumnRename.Diff(edits, ctx.Spec.Settings.ProjectDirectory), Step.Generate, edits.Select(e => e.File).Distinct().ToList(), c =>
            {
                ColumnRename.Apply(edits);
                if (touchesProject)
                    ProjectFixes.Record(Path.GetDirectoryName(c.State.Path)!, c.ProjectFile, new ProjectFix(c.Phase, wrong, right, Fixes.FileBackups.Hash(c.ProjectFile)));
                var spec = touchesProject ? ColumnRename.Patch(c.Spec, c.Phase, wrong, right) : c.Spec;
                // The edited files are part of the phase's configuration: its hash changes with them.
                return Task.FromResult(c.WithSpec(spec) with { ConfigHash = PhaseConfiguration.Hash(spec, c.Phase, c.SdkVersion) });
            }) { At = new Diagnostics.SourceLocation(edits[0].File, edits[0].Line) };
    }

    static PipelineSpec WithTimeout(PipelineSpec spec, TimeSpan timeout) => spec with { Settings = spec.Settings with { MonitorTimeout = timeout } };
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// Gathers the report from the pipeline state (phases, steps, sessions, files, checks), the spec
/// (lineage, descriptions) and the warehouse (dictionary, unification figures). Works for a pipeline
/// that stopped half way: what has not run is shown as such.
/// </summary>
public static class ReportBuilder
{
    /// <param name="buildStartedAt">When the build this report describes started: phases say what they did in it, durations are
    /// its own, checks from earlier runs are marked. Null: a report of the state alone, with no durations.</param>
    public static async Task<ReportData> BuildAsync(PipelineSpec spec, PipelineState state, string projectFile, string intermediateDir, IWorkflowBackend? backend, CancellationToken ct,
        DateTimeOffset? buildStartedAt = null)
    {
        var notes = new List<string>();
        var outcomes = BuildOutcome.Of(state, buildStartedAt, BuildOutcome.ConfigHashes(intermediateDir)).ToDictionary(o => o.Phase);
        var phases = PhaseOrder.All.Select(p => Row(p, state.Phase(p), state, buildStartedAt is null ? null : outcomes[p])).ToList();
        var failed = phases.FirstOrDefault(p => p.Status == nameof(PhaseStatus.Failed));
        var skipped = phases.Where(p => p.Skip is not null).Select(p => p.Phase).ToList();
        var skippedText = skipped.Count == 0 ? "" : $" ({string.Join(", ", skipped)} SKIPPED)";
        var done = phases.Where(p => p.Status == nameof(PhaseStatus.Succeeded) || p.Skip is not null).ToList();
        var nothingToDo = buildStartedAt is not null && outcomes.Values.All(o => o.Outcome == PhaseOutcome.UpToDate);
        var outcome = failed is not null ? $"Failed at {failed.Phase} ({failed.FailedStep}){skippedText}"
            : skipped.Count > 0 && done.Count == phases.Count ? $"Completed with {string.Join(", ", skipped)} SKIPPED"
            : nothingToDo ? NothingToDoText
            : phases.All(p => p.Status == nameof(PhaseStatus.Succeeded)) ? "Succeeded"
            : phases.All(p => p.Status == nameof(PhaseStatus.NotStarted)) ? "Not run yet"
            : $"Incomplete: {string.Join(", ", phases.Except(done).Select(p => p.Phase))} not done{skippedText}";

        // Only this build's steps: a duration or an end time made of several builds' steps describes no run.
        var thisBuild = PhaseOrder.All.SelectMany(p => state.Phase(p).Steps.Where(s => buildStartedAt is { } b && s.Value.StartedAt >= b).Select(s => s.Value)).ToList();
        DateTimeOffset? end = thisBuild.Count == 0 ? null : thisBuild.Max(s => s.StartedAt.AddMilliseconds(s.DurationMs));
        var duration = TimeSpan.FromMilliseconds(thisBuild.Sum(s => s.DurationMs));
        DateTimeOffset? created = state.PipelineId.Length == 0 ? null : state.CreatedAt;

        IReadOnlyList<DictionaryRow> dictionary = [];
        IReadOnlyList<UnificationRow> unifications = [];
        if (backend is not null)
        {
            dictionary = await new WarehouseFacts(spec, backend, notes, ct).DictionaryAsync();
            if (state.Phase(Phase.Unification).Status == PhaseStatus.Succeeded) unifications = await new UnificationFacts(spec, backend, notes, ct).ReadAsync();
        }

        var paths = new ShareablePaths(spec.Settings.ProjectDirectory);
        var decisions = DecisionRows.Read(RunLog.Beside(Path.Combine(intermediateDir, "pipeline_state.json")), state.PipelineId, buildStartedAt);
        return new ReportData(state.PipelineId, spec.Settings.Client, spec.Settings.Target.ToString(), Path.GetFileName(projectFile), buildStartedAt ?? created, end,
            duration, outcome, failed is not null, phases.Select(p => p with { Error = paths.In(p.Error) }).ToList(),
            Files(spec, state, intermediateDir, paths), PhaseOrder.All.SelectMany(p => state.Phase(p).Checks).Select(c => c with { Message = paths.In(c.Message)! }).ToList(),
            unifications, paths.In(LineageBuilder.Build(spec, state)), dictionary, NextSteps(spec, state, projectFile, failed, skipped).Select(n => new NextStep(paths.In(n.Title)!, paths.In(n.Command)!)).ToList(),
            notes.Select(n => paths.In(n)!).ToList(), DateTimeOffset.UtcNow)
        {
            Decisions = decisions.Select(d => d with { Reason = paths.In(d.Reason)!, Backup = paths.In(d.Backup)! }).ToList(),
            BuildStartedAt = buildStartedAt,
            PipelineCreatedAt = created,
            NothingToDo = nothingToDo,
            Tests = PhaseOrder.All.SelectMany(p => state.Phase(p).Tests).ToList(),
        };
    }

    public const string NothingToDoText = "Nothing to do: every step up to date";

    static PhaseRow Row(Phase phase, PhaseState p, PipelineState state, PhaseBuildOutcome? outcome)
    {
        var failedStep = p.Steps.FirstOrDefault(s => s.Value.Status == "Failed");
        var skip = p.Status == PhaseStatus.Skipped ? p.Skip ?? new SkipRecord(state.UpdatedAt, failedStep.Key ?? "?", failedStep.Value?.Error, PhaseSkip.Property) : null;
        var data = p.Tables.Where(t => !PhaseTables.IsLog(t.Table)).ToList();
        var logs = p.Tables.Where(t => PhaseTables.IsLog(t.Table)).ToList();
        return new PhaseRow(phase.ToString(), p.Status.ToString(), TimeSpan.FromMilliseconds(outcome?.DurationMs ?? 0), data.Count, data.Sum(t => t.Rows),
            p.Sessions.Select(s => s.SessionId).ToList(), p.Status == PhaseStatus.Failed ? failedStep.Key ?? p.CurrentStep : skip?.FailedStep,
            p.Status == PhaseStatus.Failed ? failedStep.Value?.Error : skip?.Error, skip)
        {
            Outcome = outcome,
            LastRunAt = p.Steps.Count == 0 ? null : p.Steps.Values.Max(s => s.StartedAt),
            LogTables = logs.Count,
            LogRows = logs.Sum(t => t.Rows),
        };
    }

    static IReadOnlyList<FileGroup> Files(PipelineSpec spec, PipelineState state, string intermediateDir, ShareablePaths paths)
    {
        var groups = PhaseOrder.All.Where(p => state.Phase(p).Files.Count > 0)
            .Select(p => new FileGroup($"{p} workflow project", paths.Of(Path.Combine(spec.Settings.GeneratedDir, p.FolderName())), state.Phase(p).Files))
            .ToList();
        var runFiles = new[] { "pipeline_state.json", RunResults.FileName, RunLog.FileName, "spec.json" }
            .Where(f => File.Exists(Path.Combine(intermediateDir, f))).ToList();
        if (runFiles.Count > 0) groups.Add(new FileGroup("Run state and results", paths.Of(intermediateDir), runFiles));
        return groups;
    }

    static IReadOnlyList<NextStep> NextSteps(PipelineSpec spec, PipelineState state, string projectFile, PhaseRow? failed, IReadOnlyList<string> skipped)
    {
        var name = Path.GetFileName(projectFile);
        var steps = new List<NextStep>();
        // A proposed fix waiting for approval comes first: it is the one command that resumes the pipeline.
        foreach (var phase in PhaseOrder.All)
            if (state.Phase(phase).AwaitingApproval is { } pending)
                steps.Add(new NextStep($"Approve the proposed fix of {pending.Diagnosis.Code} ({pending.Diagnosis.Title}) for {phase}: {pending.Proposal}",
                    $"dotnet build {name} -t:CdpPipeline -p:CdpApprove={pending.Diagnosis.Code}"));
        foreach (var phase in skipped)
            steps.Add(new NextStep($"{phase} failed and was SKIPPED: fix what stopped it, then build without {PhaseSkip.Property} so {phase} runs again and the phases after it get complete input",
                $"dotnet build {name} -t:CdpPipeline"));
        if (failed is not null)
            steps.Add(new NextStep($"Fix what stopped {failed.Phase} (see Data quality and the phase table), then run again: the pipeline resumes at {failed.Phase}",
                $"dotnet build {name} -t:CdpPipeline"));
        var target = spec.Settings.Target == TargetKind.TreasureData ? " -p:CdpTarget=TreasureData" : "";
        steps.Add(new NextStep("Schedule the pipeline daily at 02:00 (crontab -e, with <folder> the project's folder on that machine): phases whose inputs changed (new data files, a changed setting) run again in order, the rest are skipped",
            $"0 2 * * * cd <folder> && dotnet build {name} -t:CdpPipeline{target} -nologo >> cdp-pipeline.log 2>&1"));
        steps.Add(new NextStep("Follow a run as it happens: one JSON event per step, check, retry and decision", "tail -f obj/cdp/run_log.jsonl"));
        steps.Add(new NextStep("List failing or warning checks from the machine-readable results (for alerts)",
            "jq '.results[] | select(.status == \"fail\" or .status == \"warn\" or .status == \"error\") | {unique_id, status, failures, message}' obj/cdp/run_results.json"));
        if (spec.Settings.Target == TargetKind.TreasureData)
        {
            steps.Add(new NextStep("Watch the phase workflows on Treasure Data", $"td workflow sessions {spec.ProjectName(Phase.Unification)}"));
            steps.Add(new NextStep("Inspect a session's attempts and task logs", "td workflow attempts <session id>; td workflow log <attempt id> +<task>"));
        }
        else
        {
            steps.Add(new NextStep("Query the warehouse directly with the DuckDB CLI (one file, one schema per database)",
                $"duckdb {Path.Combine(spec.Settings.WarehouseDir, spec.Settings.Client + "-cdp.duckdb")} -c 'SHOW ALL TABLES'"));
        }
        steps.Add(new NextStep("Rebuild this report on its own", $"dotnet build {name} -t:CdpReport"));
        return steps;
    }
}

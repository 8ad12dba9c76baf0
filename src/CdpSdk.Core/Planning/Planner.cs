using System.Globalization;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Planning;

/// <summary>
/// Decides, once per build, which steps run and why, from facts read beforehand (<see cref="PlanFacts"/>).
/// One rule per reason, each the reconciliation that used to live in a task:
/// <list type="bullet">
/// <item>Generate runs when an input changed since its last success: a setting, a data, SQL or unify.yml file
/// (by content), the SDK; when the upstream phase validates in this build or did since; when a generated file
/// was deleted and the configuration now generates other bytes.</item>
/// <item>Every step runs when it never succeeded, failed last time, lost its stamp, or the step before it runs
/// or ran after it; Deploy also for a generated file edited by hand since the last Deploy; Deploy…Validate on
/// Local when the warehouse is gone.</item>
/// <item>From Deploy on a step is blocked while the upstream phase is not complete and this build does not
/// complete it; skipped while CdpSkipFailedPhase names its failed phase.</item>
/// </list>
/// A step that runs passes its reasons on to the steps after it, so each line says what started the chain.
/// </summary>
public static class Planner
{
    public static BuildPlan Plan(PlanFacts facts)
    {
        var phases = new List<PhasePlan>();
        foreach (var phase in facts.InBuild)
            phases.Add(PlanPhase(facts, phase, phases));
        return new BuildPlan(DateTimeOffset.UtcNow, facts.BuildStartedAt, facts.Goal, phases);
    }

    static PhasePlan PlanPhase(PlanFacts facts, Phase phase, IReadOnlyList<PhasePlan> planned)
    {
        var f = facts.Phases[phase];
        var state = facts.State.Phase(phase);
        var upstream = Upstream(facts, phase, planned);
        var steps = new List<StepPlan>();
        StepPlan? previous = null;
        foreach (var step in PhaseOrder.Steps.Where(s => s <= facts.Goal))
        {
            var own = step == Step.Generate ? GenerateReasons(facts, f, state, upstream) : LaterReasons(facts, f, state, step, previous);
            own.InsertRange(0, Common(f, state, step));
            var reasons = previous?.Decision == StepDecision.WillRun ? Merge(previous.Reasons, own) : own;
            var duration = state.Steps.GetValueOrDefault(step.ToString())?.DurationMs;
            StepPlan plan;
            if (step != Step.Generate && upstream.Blocked is { } blocked)
                plan = new StepPlan(step, StepDecision.Blocked, [blocked], duration);
            else if (SkippedAt(facts, phase, state) is { } failedAt && step >= failedAt)
                plan = new StepPlan(step, StepDecision.Skipped,
                    [new PlanReason(ReasonKinds.SkipFailed, $"CdpSkipFailedPhase names {phase}, which failed at {failedAt}: the step does nothing", Phase: phase.ToString())], duration);
            else
                plan = new StepPlan(step, reasons.Count > 0 ? StepDecision.WillRun : StepDecision.UpToDate, reasons, duration);
            steps.Add(plan);
            previous = plan;
        }
        var generate = steps[0];
        return new PhasePlan(phase, steps)
        {
            RestoredFiles = generate.Decision == StepDecision.UpToDate && f.RegeneratesSame ? f.DeletedGenerated : [],
            Tables = f.Tables,
        };
    }

    /// <summary>Reasons any step has: it never succeeded, or its last run failed, or its stamp is gone.</summary>
    static IEnumerable<PlanReason> Common(PhaseFacts f, PhaseState state, Step step)
    {
        var record = state.Steps.GetValueOrDefault(step.ToString());
        if (record is { Status: "Failed" })
        {
            yield return new PlanReason(ReasonKinds.LastFailed, $"the last run failed at {step}{Error(record.Error)}");
            yield break;
        }
        if (f.Stamps.Contains(step)) yield break;
        yield return record is null
            ? new PlanReason(ReasonKinds.NeverRan, "never ran")
            : new PlanReason(ReasonKinds.StampMissing, $"no record that it completed (obj/cdp/{f.Phase}/{step.ToString().ToLowerInvariant()}.stamp is missing)");
    }

    static List<PlanReason> GenerateReasons(PlanFacts facts, PhaseFacts f, PhaseState state, UpstreamState upstream)
    {
        var reasons = new List<PlanReason>();
        if (!f.Stamps.Contains(Step.Generate)) { AddUpstream(); return reasons; }
        if (f.Previous is { } previous)
        {
            reasons.AddRange(SettingChanges(previous.Settings, f.Current.Settings));
            reasons.AddRange(FileChanges(facts, f, previous.Files, f.Current.Files));
            // Same settings and files, another hash: something the record does not itemise (it cannot, but say so rather than run silently).
            if (reasons.Count == 0 && previous.ConfigHash != f.Current.ConfigHash)
                reasons.Add(new PlanReason(ReasonKinds.ConfigurationChanged, "its configuration changed (config.hash)"));
        }
        else if (f.RecordedConfigHash != f.Current.ConfigHash)
        {
            reasons.Add(new PlanReason(ReasonKinds.ConfigurationChanged, "its configuration changed (config.hash; which setting is not on record for a phase generated by an earlier SDK)"));
        }
        AddUpstream();
        if (f.DeletedGenerated.Count > 0 && !f.RegeneratesSame)
            reasons.AddRange(f.DeletedGenerated.Select(d => new PlanReason(ReasonKinds.GeneratedDeleted,
                $"{f.Phase.FolderName()}/{d} was deleted by hand (and the configuration now generates other files)", File: $"{f.Phase.FolderName()}/{d}")));
        return reasons;

        void AddUpstream()
        {
            if (upstream.Phase is not { } u) return;
            if (upstream.Runs)
                reasons.Add(new PlanReason(ReasonKinds.UpstreamRuns, $"upstream phase {u} runs in this build", Phase: u.ToString()));
            else if (facts.State.Phase(u).Steps.GetValueOrDefault(nameof(Step.Validate)) is { Status: "Succeeded" } validated
                     && state.Steps.GetValueOrDefault(nameof(Step.Generate)) is { } generated && validated.StartedAt > generated.StartedAt)
                reasons.Add(new PlanReason(ReasonKinds.UpstreamRan, $"upstream phase {u} validated again at {validated.StartedAt.UtcDateTime:u} after {f.Phase} generated", Phase: u.ToString()));
        }
    }

    static List<PlanReason> LaterReasons(PlanFacts facts, PhaseFacts f, PhaseState state, Step step, StepPlan? previous)
    {
        var reasons = new List<PlanReason>();
        var before = step - 1;
        if (previous?.Decision != StepDecision.WillRun
            && state.Steps.GetValueOrDefault(before.ToString()) is { Status: "Succeeded" } earlier
            && state.Steps.GetValueOrDefault(step.ToString()) is { } last && earlier.StartedAt > last.StartedAt)
            reasons.Add(new PlanReason(ReasonKinds.PreviousStepRan, $"{before} ran at {earlier.StartedAt.UtcDateTime:u}, after the last {step}"));
        if (step == Step.Deploy)
            reasons.AddRange(f.EditedSinceDeploy.Select(e => new PlanReason(ReasonKinds.HandEdited,
                $"{f.Phase.FolderName()}/{e} was edited by hand since the last Deploy", File: $"{f.Phase.FolderName()}/{e}")));
        // A step that never ran needs no other reason; one that did is undone with the warehouse.
        if (facts.WarehouseGone && facts.Local && state.Steps.ContainsKey(step.ToString()))
            reasons.Add(new PlanReason(ReasonKinds.WarehouseGone, "the Local warehouse is gone (deleted, or never built here): what this step did is gone with it"));
        return reasons;
    }

    static IEnumerable<PlanReason> SettingChanges(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now)
    {
        foreach (var name in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            var had = before.TryGetValue(name, out var old);
            var has = now.TryGetValue(name, out var value);
            if (had && has && old == value) continue;
            var secret = (old ?? value ?? "").StartsWith(PhaseInputs.SecretPrefix, StringComparison.Ordinal);
            string text = (had, has) switch
            {
                (true, true) => secret ? $"{name} changed" : $"{name} changed ({Value(old!)} → {Value(value!)})",
                (false, _) => secret ? $"{name} set" : $"{name} set ({Value(value!)})",
                _ => secret ? $"{name} removed" : $"{name} removed (was {Value(old!)})",
            };
            yield return new PlanReason(ReasonKinds.SettingChanged, text, name, secret ? null : old, secret ? null : value);
        }
    }

    static IEnumerable<PlanReason> FileChanges(PlanFacts facts, PhaseFacts f, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> now)
    {
        foreach (var file in before.Keys.Union(now.Keys).Order(StringComparer.Ordinal))
        {
            before.TryGetValue(file, out var old);
            now.TryGetValue(file, out var hash);
            if (old == hash) continue;
            var kind = Describe(f.Phase);
            if (hash == Hashing.ContentHash.Missing)
                yield return new PlanReason(ReasonKinds.FileChanged, $"{file} ({kind}) is missing", File: file, Old: old, New: hash);
            else if (f.WrittenThisBuild.Contains(file) && facts.Hooks.Length > 0)
                yield return new PlanReason(ReasonKinds.HookData, $"{file} changed: new data written in this build by the hook {facts.Hooks}", File: file, Old: old, New: hash);
            else if (old is null)
                yield return new PlanReason(ReasonKinds.FileChanged, $"{file} ({kind}) added", File: file, New: hash);
            else if (hash is null)
                yield return new PlanReason(ReasonKinds.FileChanged, $"{file} ({kind}) no longer read", File: file, Old: old);
            else
                yield return new PlanReason(ReasonKinds.FileChanged, $"{file} changed", File: file, Old: old, New: hash);
        }
    }

    static string Describe(Phase phase) => phase switch
    {
        Phase.Ingestion => "data file",
        Phase.Staging => "transform SQL file",
        Phase.Unification => "unify.yml",
        _ => "input file",
    };

    /// <summary>The upstream phase as this build leaves it: running in it, complete, or blocking (with the reason).</summary>
    sealed record UpstreamState(Phase? Phase, bool Runs, PlanReason? Blocked);

    static UpstreamState Upstream(PlanFacts facts, Phase phase, IReadOnlyList<PhasePlan> planned)
    {
        if (phase.Upstream() is not { } u) return new UpstreamState(null, false, null);
        var inBuild = planned.FirstOrDefault(p => p.Phase == u);
        if (inBuild is not null && inBuild.Steps.Any(s => s.Decision == StepDecision.Blocked))
            return new UpstreamState(u, false, new PlanReason(ReasonKinds.UpstreamIncomplete, $"upstream phase {u} is blocked", Phase: u.ToString()));
        if (inBuild?.Step(Step.Validate) is { Decision: StepDecision.WillRun })
            return new UpstreamState(u, true, null);
        if (inBuild?.Step(Step.Validate) is { Decision: StepDecision.Skipped })
            return new UpstreamState(u, false, null); // runs on the skipped phase's incomplete output (CDP6202)
        // Not in this build, or not through Validate: the upstream must be complete already, with its configuration of now.
        var p = facts.State.Phase(u);
        var skippedByUser = p.Status == PhaseStatus.Skipped && facts.SkipFailed.Contains(u);
        if (inBuild is not null && inBuild.Running.Any())
            return new UpstreamState(u, false, new PlanReason(ReasonKinds.UpstreamIncomplete,
                $"upstream phase {u} runs only up to {facts.Goal} in this build, so it does not validate", Phase: u.ToString()));
        if (skippedByUser) return new UpstreamState(u, false, null);
        if (facts.WarehouseGone && facts.Local)
            return new UpstreamState(u, false, new PlanReason(ReasonKinds.UpstreamIncomplete, $"upstream phase {u} must run again: the Local warehouse is gone", Phase: u.ToString()));
        if (p.Status != PhaseStatus.Succeeded)
            return new UpstreamState(u, false, new PlanReason(ReasonKinds.UpstreamIncomplete, $"upstream phase {u} is not complete ({Status(p)})", Phase: u.ToString()));
        if (facts.Phases.TryGetValue(u, out var uf) && p.ConfigHash != uf.Current.ConfigHash)
            return new UpstreamState(u, false, new PlanReason(ReasonKinds.UpstreamIncomplete, $"the configuration of upstream phase {u} changed since it validated", Phase: u.ToString()));
        return new UpstreamState(u, false, null);
    }

    /// <summary>The step a failed phase failed at, when CdpSkipFailedPhase names it (PhaseSkip makes its steps from there no-ops).</summary>
    static Step? SkippedAt(PlanFacts facts, Phase phase, PhaseState state)
    {
        if (!facts.SkipFailed.Contains(phase)) return null;
        var failed = state.Status switch
        {
            PhaseStatus.Failed => state.CurrentStep ?? state.Steps.FirstOrDefault(s => s.Value.Status == "Failed").Key,
            PhaseStatus.Skipped => state.Skip?.FailedStep,
            _ => null,
        };
        return Enum.TryParse<Step>(failed, out var step) ? step : null;
    }

    static string Status(PhaseState p) => p.Status switch
    {
        PhaseStatus.NotStarted => "it has not run",
        PhaseStatus.Failed => $"it failed at {p.CurrentStep}",
        PhaseStatus.Skipped => $"it failed at {p.Skip?.FailedStep} and was skipped",
        _ => $"it stopped at {p.CurrentStep}",
    };

    static List<PlanReason> Merge(IReadOnlyList<PlanReason> inherited, IReadOnlyList<PlanReason> own) =>
        inherited.Concat(own.Where(o => !inherited.Any(i => i.Text == o.Text))).ToList();

    static string Error(string? error) =>
        string.IsNullOrEmpty(error) ? "" : $" ({(error.Length > 120 ? error[..117] + "..." : error)})";

    /// <summary>A value as short as a log line allows, empty shown as such.</summary>
    static string Value(string value) => value.Length == 0 ? "(empty)" : value.Length > 60 ? value[..57] + "..." : value;

    /// <summary>Milliseconds as a person reads a duration: 850 ms, 12.3 s, 4 min 5 s.</summary>
    public static string Duration(long ms) => ms switch
    {
        < 1000 => $"{ms} ms",
        < 60_000 => (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s",
        _ => $"{ms / 60_000} min {ms % 60_000 / 1000} s",
    };
}

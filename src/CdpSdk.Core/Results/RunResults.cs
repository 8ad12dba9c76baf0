using System.Text.Json;
using System.Text.Json.Serialization;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Results;

/// <summary>
/// obj/cdp/run_results.json, shaped like dbt's run_results.json: metadata, then one result per step and
/// per phase, per step and per check with its status, timing, message and (for checks) failing count,
/// sample and compiled SQL. Rewritten from the pipeline state after every step (the latest run of each);
/// at the end of each phase build and of CdpPipeline it is rewritten for the build, knowing when the build
/// started: each result says whether it ran in this build, the phases say what they did in it, and
/// elapsed_time is this build's. The shape is sdk/CdpSdk/schema/run_results.v1.schema.json.
/// </summary>
public static class RunResults
{
    public const string FileName = "run_results.json";
    /// <summary>Where the schemas the SDK package ships (schema/) are published; each schema's $id is under it.</summary>
    public const string SchemaBase = "https://raw.githubusercontent.com/cdpsdk/cdpsdk/main/sdk/CdpSdk/schema/";
    public const string SchemaVersion = SchemaBase + "run_results.v1.schema.json";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public sealed record Timing(string Name, DateTimeOffset StartedAt, DateTimeOffset CompletedAt);

    public sealed record Result(
        string UniqueId, string ResourceType, string Phase, string Status, double ExecutionTime, IReadOnlyList<Timing> Timing, string? Message,
        long? Failures = null, string? Rule = null, string? Relation = null, string? Column = null, string? Severity = null,
        IReadOnlyList<string>? SampleColumns = null, IReadOnlyList<IReadOnlyList<string?>>? SampleRows = null, string? CompiledCode = null)
    {
        /// <summary>Whether the result is from the build that wrote the file; absent when the writer did not know the build's start.</summary>
        public bool? InThisBuild { get; init; }
    }

    /// <param name="StartedAt">When the pipeline (its id) was first run.</param>
    /// <param name="BuildStartedAt">When the build that wrote the file started; absent in the snapshots written between steps.</param>
    public sealed record Metadata(string SchemaVersion, string PipelineId, string Client, string Target, DateTimeOffset GeneratedAt, DateTimeOffset? StartedAt,
        DateTimeOffset? BuildStartedAt = null);

    /// <param name="ElapsedTime">Seconds the steps of this build took (with no build start: the latest run of each step).</param>
    public sealed record Document(Metadata Metadata, double ElapsedTime, IReadOnlyList<Result> Results);

    public static Document Build(PipelineState state, DateTimeOffset? buildStartedAt = null, IReadOnlyDictionary<Model.Phase, string>? configHashes = null)
    {
        var outcomes = Reporting.BuildOutcome.Of(state, buildStartedAt, configHashes).ToDictionary(o => o.Phase);
        bool? InBuild(DateTimeOffset startedAt) => buildStartedAt is { } start ? startedAt >= start : null;
        var results = new List<Result>();
        foreach (var phase in PhaseOrder.All)
        {
            var p = state.Phase(phase);
            results.Add(PhaseResult(phase, p, outcomes[phase], buildStartedAt));
            foreach (var step in PhaseOrder.Steps)
            {
                if (!p.Steps.TryGetValue(step.ToString(), out var s)) continue;
                results.Add(new Result($"step.{phase}.{step}", "step", phase.ToString(), s.Status == "Succeeded" ? "success" : "error",
                    s.DurationMs / 1000.0, [new Timing("execute", s.StartedAt, s.StartedAt.AddMilliseconds(s.DurationMs))], s.Error) { InThisBuild = InBuild(s.StartedAt) });
            }
            results.AddRange(p.Checks.Select(c => new Result($"check.{phase}.{c.Name}", "check", phase.ToString(), StatusOf(c.Status),
                c.DurationMs / 1000.0, [new Timing("execute", c.StartedAt, c.StartedAt.AddMilliseconds(c.DurationMs))], c.Message,
                c.Failures, c.Rule, c.Table, c.Column.Length == 0 ? null : c.Column, c.Severity,
                c.SampleColumns.Count == 0 ? null : c.SampleColumns, c.SampleRows.Count == 0 ? null : c.SampleRows, c.Sql.Length == 0 ? null : c.Sql)
                { InThisBuild = InBuild(c.StartedAt) }));
        }
        // CdpTest unit tests, apart from the checks (dbt's resource type unit_test); differences as the sample.
        foreach (var phase in PhaseOrder.All)
            results.AddRange(state.Phase(phase).Tests.Select(t => new Result($"unit_test.{phase}.{t.Name}", "unit_test", phase.ToString(), StatusOf(t.Status),
                t.DurationMs / 1000.0, [new Timing("execute", t.StartedAt, t.StartedAt.AddMilliseconds(t.DurationMs))], t.Message,
                t.Differences.Count, Relation: t.Table, SampleColumns: t.Differences.Count == 0 ? null : ["kind", "line", "row", "changes"],
                SampleRows: t.Differences.Count == 0 ? null : t.Differences.Select(d => (IReadOnlyList<string?>)[d.Kind, d.Line == 0 ? null : d.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Row,
                    d.Changes.Count == 0 ? null : string.Join("; ", d.Changes.Select(c => $"{c.Column}: expected {c.Expected ?? "NULL"}, got {c.Actual ?? "NULL"}"))]).ToList(),
                CompiledCode: t.Sql.Length == 0 ? null : t.Sql) { InThisBuild = InBuild(t.StartedAt) }));
        var elapsed = outcomes.Values.Sum(o => o.DurationMs) / 1000.0;
        return new Document(new Metadata(SchemaVersion, state.PipelineId, state.Client, state.Target, DateTimeOffset.UtcNow,
            state.PipelineId.Length == 0 ? null : state.CreatedAt, buildStartedAt), elapsed, results);
    }

    /// <summary>
    /// What the phase did in this build (success, up_to_date, error, skipped, not_run_upstream_failed, stale, not_run),
    /// with the time its steps took in this build; a skipped phase keeps its banner, so a tool reading only
    /// statuses cannot take the pipeline for complete.
    /// </summary>
    static Result PhaseResult(Model.Phase phase, PhaseState p, Reporting.PhaseBuildOutcome outcome, DateTimeOffset? buildStartedAt)
    {
        var run = outcome.StepsRun.Select(r => p.Steps[r]).ToList();
        IReadOnlyList<Timing> timing = outcome.Outcome == Reporting.PhaseOutcome.Skipped && p.Skip is { } skip ? [new Timing("skip", skip.SkippedAt, skip.SkippedAt)]
            : run.Count == 0 ? []
            : [new Timing("execute", run.Min(s => s.StartedAt), run.Max(s => s.StartedAt.AddMilliseconds(s.DurationMs)))];
        var message = outcome.Outcome switch
        {
            Reporting.PhaseOutcome.Skipped => Phases.PhaseSkip.Banner(phase.ToString(), p.Skip),
            Reporting.PhaseOutcome.Failed => p.Steps.Values.FirstOrDefault(s => s.Status == "Failed")?.Error ?? $"{phase} failed",
            _ => $"{phase}: {outcome.Label}",
        };
        return new Result($"phase.{phase}", "phase", phase.ToString(), outcome.Status, outcome.DurationMs / 1000.0, timing, message)
        {
            InThisBuild = buildStartedAt is null ? null : outcome.RanInThisBuild,
        };
    }

    /// <summary>dbt's words: pass, warn, fail, error, skipped.</summary>
    public static string StatusOf(CheckStatus s) => s.ToString().ToLowerInvariant();

    public static void Write(PipelineState state, string path, DateTimeOffset? buildStartedAt = null, IReadOnlyDictionary<Model.Phase, string>? configHashes = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(Build(state, buildStartedAt, configHashes), Json).ReplaceLineEndings("\n") + "\n");
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// The start of the build that last rewrote the file for a whole build (metadata.build_started_at), so a
    /// report written later on its own describes that build; null when the file or the field is missing.
    /// </summary>
    public static DateTimeOffset? LastBuildStartedAt(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("metadata", out var m) && m.TryGetProperty("build_started_at", out var at) && at.ValueKind == JsonValueKind.String
                ? Reporting.BuildOutcome.ParseStart(at.GetString()) : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static string Beside(string statePath) => Path.Combine(Path.GetDirectoryName(statePath)!, FileName);
}

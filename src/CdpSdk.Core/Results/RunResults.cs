using System.Text.Json;
using System.Text.Json.Serialization;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Results;

/// <summary>
/// obj/cdp/run_results.json, shaped like dbt's run_results.json: metadata, then one result per step and
/// per check with its status, timing, message and (for checks) failing count, sample and compiled SQL.
/// Rewritten from the pipeline state after every step, so it always describes the latest run of each.
/// </summary>
public static class RunResults
{
    public const string FileName = "run_results.json";
    public const string SchemaVersion = "https://cdpsdk.dev/schemas/run-results/v1.json";

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
        IReadOnlyList<string>? SampleColumns = null, IReadOnlyList<IReadOnlyList<string?>>? SampleRows = null, string? CompiledCode = null);

    public sealed record Metadata(string SchemaVersion, string PipelineId, string Client, string Target, DateTimeOffset GeneratedAt, DateTimeOffset? StartedAt);

    public sealed record Document(Metadata Metadata, double ElapsedTime, IReadOnlyList<Result> Results);

    public static Document Build(PipelineState state)
    {
        var results = new List<Result>();
        foreach (var phase in PhaseOrder.All)
        {
            var p = state.Phase(phase);
            // A skipped phase gets a result of its own, so a tool reading only statuses cannot take the pipeline for complete.
            if (p.Status == PhaseStatus.Skipped && p.Skip is { } skip)
                results.Add(new Result($"phase.{phase}", "phase", phase.ToString(), "skipped", 0,
                    [new Timing("skip", skip.SkippedAt, skip.SkippedAt)], Phases.PhaseSkip.Banner(phase.ToString(), skip)));
            foreach (var step in PhaseOrder.Steps)
            {
                if (!p.Steps.TryGetValue(step.ToString(), out var s)) continue;
                results.Add(new Result($"step.{phase}.{step}", "step", phase.ToString(), s.Status == "Succeeded" ? "success" : "error",
                    s.DurationMs / 1000.0, [new Timing("execute", s.StartedAt, s.StartedAt.AddMilliseconds(s.DurationMs))], s.Error));
            }
            results.AddRange(p.Checks.Select(c => new Result($"check.{phase}.{c.Name}", "check", phase.ToString(), StatusOf(c.Status),
                c.DurationMs / 1000.0, [new Timing("execute", c.StartedAt, c.StartedAt.AddMilliseconds(c.DurationMs))], c.Message,
                c.Failures, c.Rule, c.Table, c.Column.Length == 0 ? null : c.Column, c.Severity,
                c.SampleColumns.Count == 0 ? null : c.SampleColumns, c.SampleRows.Count == 0 ? null : c.SampleRows, c.Sql.Length == 0 ? null : c.Sql)));
        }
        // CdpTest unit tests, apart from the checks (dbt's resource type unit_test); differences as the sample.
        foreach (var phase in PhaseOrder.All)
            results.AddRange(state.Phase(phase).Tests.Select(t => new Result($"unit_test.{phase}.{t.Name}", "unit_test", phase.ToString(), StatusOf(t.Status),
                t.DurationMs / 1000.0, [new Timing("execute", t.StartedAt, t.StartedAt.AddMilliseconds(t.DurationMs))], t.Message,
                t.Differences.Count, Relation: t.Table, SampleColumns: t.Differences.Count == 0 ? null : ["kind", "line", "row", "changes"],
                SampleRows: t.Differences.Count == 0 ? null : t.Differences.Select(d => (IReadOnlyList<string?>)[d.Kind, d.Line == 0 ? null : d.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), d.Row,
                    d.Changes.Count == 0 ? null : string.Join("; ", d.Changes.Select(c => $"{c.Column}: expected {c.Expected ?? "NULL"}, got {c.Actual ?? "NULL"}"))]).ToList(),
                CompiledCode: t.Sql.Length == 0 ? null : t.Sql)));
        var elapsed = PhaseOrder.All.Sum(ph => state.Phase(ph).DurationMs) / 1000.0;
        return new Document(new Metadata(SchemaVersion, state.PipelineId, state.Client, state.Target, DateTimeOffset.UtcNow,
            state.PipelineId.Length == 0 ? null : state.CreatedAt), elapsed, results);
    }

    /// <summary>dbt's words: pass, warn, fail, error, skipped.</summary>
    public static string StatusOf(CheckStatus s) => s.ToString().ToLowerInvariant();

    public static void Write(PipelineState state, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(Build(state), Json).ReplaceLineEndings("\n") + "\n");
        File.Move(temp, path, overwrite: true);
    }

    public static string Beside(string statePath) => Path.Combine(Path.GetDirectoryName(statePath)!, FileName);
}

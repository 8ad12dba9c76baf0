using System.Text.Json.Nodes;
using CdpSdk.Core.Results;

namespace CdpSdk.Core.Reporting;

/// <summary>One retry or decision of the run, as the report lists it.</summary>
/// <param name="What">What was decided: a retry, a fix applied, a stop awaiting approval, a skipped phase.</param>
public sealed record DecisionRow(string Time, string Phase, string Step, string What, string Diagnosis, string Reason, string Backup);

/// <summary>The retries and decisions of this pipeline run, read back from obj/cdp/run_log.jsonl.</summary>
public static class DecisionRows
{
    /// <param name="buildStartedAt">When given, only the events of the build that started then.</param>
    public static IReadOnlyList<DecisionRow> Read(RunLog log, string pipelineId, DateTimeOffset? buildStartedAt = null) =>
        pipelineId.Length == 0 ? [] :
        log.Read().Where(e => Text(e, "pipeline_id") == pipelineId && Text(e, "event") is "retry" or "decision")
            .Where(e => buildStartedAt is not { } start || (BuildOutcome.ParseStart(Text(e, "time")) is { } at && at >= start))
            .Select(e => new DecisionRow(Text(e, "time").Length >= 19 ? Text(e, "time")[..19].Replace('T', ' ') : "", Text(e, "phase"), Text(e, "step"),
                What(e), Text(e, "diagnosis") is { Length: > 0 } d ? d : Text(e, "code"),
                Text(e, "event") == "retry" ? $"attempt {Text(e, "attempt")} after {Text(e, "error")}: {Text(e, "message")}" : Or(Text(e, "fix"), Text(e, "reason")) + (Text(e, "fix").Length > 0 ? $" ({Text(e, "reason")})" : ""),
                Text(e, "backup")))
            .ToList();

    static string What(JsonObject e) => Text(e, "event") == "retry" ? "retry" : Text(e, "decision") switch
    {
        "apply_fix" => "fix applied",
        "stop" => "stopped",
        "skip_phase" => "phase SKIPPED",
        var other => other.Replace('_', ' '),
    };

    static string Or(string a, string b) => a.Length > 0 ? a : b;

    static string Text(JsonObject e, string key) => e[key] is JsonValue v ? v.ToString() : "";
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace CdpSdk.Tests.Shared;

/// <summary>
/// Validates run_results.json and each line of run_log.jsonl against the JSON Schemas the SDK package ships
/// (sdk/CdpSdk/schema/), with JsonSchema.Net (draft 2020-12, formats asserted). Returns the errors, one per
/// line, with the instance location and the line of the log; empty when the artifact conforms.
/// </summary>
public static class ArtifactSchemas
{
    public const string RunResults = "run_results.v1.schema.json";
    public const string RunLog = "run_log.v1.schema.json";

    public static IReadOnlyList<string> ValidateRunResults(string schemaDir, string runResultsFile) =>
        Validate(Load(schemaDir, RunResults), File.ReadAllText(runResultsFile), RunResults);

    public static IReadOnlyList<string> ValidateRunLog(string schemaDir, string runLogFile)
    {
        var schema = Load(schemaDir, RunLog);
        return File.ReadAllLines(runLogFile).Select((line, i) => (line, i)).Where(l => l.line.Length > 0)
            .SelectMany(l => Validate(schema, l.line, $"line {l.i + 1}")).ToList();
    }

    /// <summary>The schema's $id: what schema_version in an artifact must equal.</summary>
    public static string IdOf(string schemaDir, string schemaFile) =>
        (string)JsonNode.Parse(File.ReadAllText(Path.Combine(schemaDir, schemaFile)))!["$id"]!;

    // JsonSchema.Net registers a schema under its $id once per process: each file is read once.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, JsonSchema> Loaded = new();

    static JsonSchema Load(string schemaDir, string file) =>
        Loaded.GetOrAdd(Path.GetFullPath(Path.Combine(schemaDir, file)), path => JsonSchema.FromText(File.ReadAllText(path)));

    static IReadOnlyList<string> Validate(JsonSchema schema, string json, string where)
    {
        using var doc = JsonDocument.Parse(json);
        var result = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return [];
        return (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{where} {d.InstanceLocation}: {e.Key}: {e.Value}")).DefaultIfEmpty($"{where}: invalid").ToList();
    }
}

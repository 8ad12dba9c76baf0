using System.Text.Json;
using System.Text.Json.Nodes;

namespace CdpSdk.Core.Results;

/// <summary>
/// obj/cdp/run_log.jsonl: one JSON object per line for every step, check, retry and decision, in the
/// order they happened, across builds. Lines are appended whole, so a reader (tail -f, jq, a log
/// shipper) never sees half an event. Keys are snake_case, as in run_results.json (dbt's casing); the
/// shape is sdk/CdpSdk/schema/run_log.v1.schema.json (<see cref="SchemaId"/>).
/// </summary>
public sealed class RunLog(string path)
{
    public const string FileName = "run_log.jsonl";
    public const string SchemaId = RunResults.SchemaBase + "run_log.v1.schema.json";

    // Relaxed escaping: the lines are read by people and log tools, never embedded in HTML.
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Path { get; } = path;

    /// <summary>The run log beside the pipeline state.</summary>
    public static RunLog Beside(string statePath) => new(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(statePath)!, FileName));

    /// <param name="kind">step_started, step_finished, check, retry or decision.</param>
    /// <param name="fields">The event's own fields; keys are written in snake_case.</param>
    public void Write(string kind, string pipelineId, string? phase, string? step, IEnumerable<KeyValuePair<string, object?>> fields)
    {
        var e = new JsonObject
        {
            ["time"] = DateTimeOffset.UtcNow.ToString("O"),
            ["event"] = kind,
            ["pipeline_id"] = pipelineId,
        };
        if (phase is not null) e["phase"] = phase;
        if (step is not null) e["step"] = step;
        // A caller's camelCase key is written in the file's one casing, so a new field cannot break it.
        foreach (var (key, value) in fields)
            e[JsonNamingPolicy.SnakeCaseLower.ConvertName(key)] = value is null ? null : JsonSerializer.SerializeToNode(value, value.GetType(), Json);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var line = e.ToJsonString(Json) + "\n";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
                var bytes = System.Text.Encoding.UTF8.GetBytes(line);
                stream.Write(bytes);
                return;
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(25); // another build node appending right now
            }
        }
    }

    /// <summary>Every event so far, oldest first (for tests and tools).</summary>
    public IReadOnlyList<JsonObject> Read() =>
        File.Exists(Path)
            ? File.ReadAllLines(Path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];
}

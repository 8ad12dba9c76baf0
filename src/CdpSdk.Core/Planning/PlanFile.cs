using System.Text.Json;
using System.Text.Json.Serialization;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Planning;

/// <summary>
/// The plan as JSON (obj/cdp/plan.json for the phase builds of the same build, and -p:CdpPlanFormat=json).
/// Its shape is sdk/CdpSdk/schema/cdp-plan.schema.json; snake_case like every artifact.
/// </summary>
public static class PlanFile
{
    public const string SchemaVersion = "https://cdpsdk.dev/schema/cdp-plan/1";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string PathIn(string intermediateDir) => Path.Combine(intermediateDir, BuildPlan.FileName);

    public static string Serialize(BuildPlan plan) => JsonSerializer.Serialize(new Document(SchemaVersion, plan.ComputedAt, plan.BuildStartedAt, plan.Goal, plan.NothingToDo,
        plan.Phases.Select(p => new PhaseDocument(p.Phase, p.UpToDate, p.EstimatedMs, p.Steps, p.RestoredFiles, p.GeneratedChanges, p.Running.Any(s => s.Step == Step.Execute) ? p.Tables : [])).ToList()), Json)
        .ReplaceLineEndings("\n") + "\n";

    public static BuildPlan Deserialize(string json)
    {
        var d = JsonSerializer.Deserialize<Document>(json, Json) ?? throw new JsonException("empty plan");
        return new BuildPlan(d.ComputedAt, d.BuildStartedAt, d.Goal, d.Phases.Select(p => new PhasePlan(p.Phase, p.Steps)
        {
            RestoredFiles = p.RestoredFiles, GeneratedChanges = p.GeneratedChanges, Tables = p.Tables,
        }).ToList());
    }

    /// <summary>The plan the outer build wrote for this build, or null (none, another build's, or unreadable).</summary>
    public static BuildPlan? LoadFor(string intermediateDir, string buildStartedAt)
    {
        var path = PathIn(intermediateDir);
        if (!File.Exists(path) || buildStartedAt.Length == 0) return null;
        try
        {
            var plan = Deserialize(File.ReadAllText(path));
            return plan.BuildStartedAt == buildStartedAt ? plan : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Save(string intermediateDir, BuildPlan plan) => SpecFile.WriteIfChanged(PathIn(intermediateDir), Serialize(plan));

    sealed record Document(
        [property: JsonPropertyName("schema_version")] string SchemaVersion,
        DateTimeOffset ComputedAt, string BuildStartedAt, Step Goal, bool NothingToDo, IReadOnlyList<PhaseDocument> Phases);

    sealed record PhaseDocument(
        Phase Phase, bool UpToDate, long? EstimatedMs, IReadOnlyList<StepPlan> Steps,
        IReadOnlyList<string> RestoredFiles, IReadOnlyList<GeneratedFileChange> GeneratedChanges, IReadOnlyList<string> Tables);
}

using System.Text.Json.Nodes;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Tests.Shared;

namespace CdpSdk.Core.Tests.Reporting;

/// <summary>
/// The JSON Schemas shipped in the package (sdk/CdpSdk/schema/) describe what the SDK writes: artifacts
/// written by RunResults and RunLog conform, their ids are the URLs the artifacts name, and a camelCase or
/// misshapen event is refused (so the schema checks something). The end-to-end build validates real ones.
/// </summary>
public sealed class ArtifactSchemaTests
{
    static readonly string SchemaDir = RepoPaths.Of("sdk/CdpSdk/schema");
    string _dir = "";

    [SetUp] public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("cdp-schemas-").FullName;
    [TearDown] public void DeleteFolder() => Directory.Delete(_dir, true);

    [Test]
    public void TheArtifactsNameTheSchemasTheyFollow()
    {
        Assert.That(ArtifactSchemas.IdOf(SchemaDir, ArtifactSchemas.RunResults), Is.EqualTo(RunResults.SchemaVersion));
        Assert.That(ArtifactSchemas.IdOf(SchemaDir, ArtifactSchemas.RunLog), Is.EqualTo(RunLog.SchemaId));
        Assert.That(RunResults.SchemaVersion, Does.StartWith(RunResults.SchemaBase).And.EndWith("/sdk/CdpSdk/schema/" + ArtifactSchemas.RunResults));
    }

    [Test]
    public void RunResultsOfAFailedBuildConform()
    {
        var path = Path.Combine(_dir, RunResults.FileName);
        RunResults.Write(BuildStates.StagingFailedInSecondBuild(), path, BuildStates.SecondBuild);
        Assert.That(ArtifactSchemas.ValidateRunResults(SchemaDir, path), Is.Empty);
        RunResults.Write(BuildStates.StagingFailedInSecondBuild(), path);
        Assert.That(ArtifactSchemas.ValidateRunResults(SchemaDir, path), Is.Empty, "the snapshot between steps too");
    }

    [Test]
    public void RunLogEventsAreSnakeCaseAndConform()
    {
        var log = new RunLog(Path.Combine(_dir, RunLog.FileName));
        log.Write("step_started", "p-1", "Staging", "Execute", []);
        log.Write("step_finished", "p-1", "Staging", "Execute", new Dictionary<string, object?> { ["status"] = "error", ["durationMs"] = 12L, ["error"] = "CDP3001" });
        log.Write("retry", "p-1", "Staging", "Execute", new Dictionary<string, object?> { ["attempt"] = 2, ["maxAttempts"] = 3, ["previousStartedAt"] = DateTimeOffset.UnixEpoch });
        log.Write("decision", "p-1", "Unification", null, new Dictionary<string, object?> { ["decision"] = "stop_pipeline", ["failedStep"] = "Execute" });
        var events = log.Read();
        Assert.That(events[1]["duration_ms"]!.GetValue<long>(), Is.EqualTo(12), "a caller's camelCase key is written in snake_case");
        Assert.That(events.SelectMany(e => e.Select(p => p.Key)), Has.All.Matches("^[a-z][a-z0-9_]*$"));
        Assert.That(ArtifactSchemas.ValidateRunLog(SchemaDir, log.Path), Is.Empty);
    }

    [Test]
    public void TheSchemaRefusesACamelCaseKeyAndAStepWithoutItsDuration()
    {
        var path = Path.Combine(_dir, RunLog.FileName);
        File.WriteAllLines(path, [
            new JsonObject { ["time"] = "2026-12-01T02:00:00Z", ["event"] = "check", ["pipelineId"] = "p-1" }.ToJsonString(),
            new JsonObject { ["time"] = "2026-12-01T02:00:00Z", ["event"] = "step_finished", ["pipeline_id"] = "p-1", ["phase"] = "Staging", ["step"] = "Execute", ["status"] = "success" }.ToJsonString(),
        ]);
        var errors = ArtifactSchemas.ValidateRunLog(SchemaDir, path);
        Assert.That(errors, Has.Some.StartsWith("line 1"));
        Assert.That(errors, Has.Some.StartsWith("line 2").And.Some.Contains("duration_ms"));
    }
}

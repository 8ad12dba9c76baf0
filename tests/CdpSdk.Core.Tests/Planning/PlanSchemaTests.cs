using System.Text.Json;
using CdpSdk.Core.Model;
using CdpSdk.Core.Planning;
using CdpSdk.Core.State;
using Json.Schema;

namespace CdpSdk.Core.Tests.Planning;

/// <summary>The plan's JSON matches the schema shipped in the package, and the schema lists every reason kind.</summary>
public sealed class PlanSchemaTests
{
    static readonly string SchemaFile = RepoPaths.Of("sdk/CdpSdk/schema/cdp-plan.schema.json");

    static PhaseFacts Facts(Phase phase, string client) => new(phase,
        new PhaseInputs("now-" + client, new Dictionary<string, string> { ["CdpClient"] = client }, new Dictionary<string, string>()),
        new PhaseInputs("before", new Dictionary<string, string> { ["CdpClient"] = "retail" }, new Dictionary<string, string>()),
        "before", PhaseOrder.Steps.ToHashSet(), new HashSet<string>(), [], phase == Phase.Ingestion ? ["ingest.dig"] : [], phase == Phase.Ingestion)
    {
        Tables = ["db.t"],
    };

    [Test]
    public void APlanWithEveryDecisionIsValidAgainstTheSchema()
    {
        var state = PhaseOrder.All.Aggregate(new PipelineState(), (s, phase) => s.With(phase, p => p with
        {
            Status = phase == Phase.Unification ? PhaseStatus.Failed : PhaseStatus.Succeeded, CurrentStep = phase == Phase.Unification ? "Execute" : null,
            ConfigHash = "before",
            Steps = PhaseOrder.Steps.ToDictionary(st => st.ToString(), st => new StepRecord(phase == Phase.Unification && st == Step.Execute ? "Failed" : "Succeeded", DateTimeOffset.UnixEpoch.AddMinutes((int)phase * 5 + (int)st), 10)),
        }));
        var facts = new Dictionary<Phase, PhaseFacts>
        {
            [Phase.Ingestion] = Facts(Phase.Ingestion, "retail") with { Current = Facts(Phase.Ingestion, "retail").Previous! },
            [Phase.HistUnion] = Facts(Phase.HistUnion, "retail") with { Current = Facts(Phase.HistUnion, "retail").Previous! },
            [Phase.Staging] = Facts(Phase.Staging, "shop"),
            [Phase.Unification] = Facts(Phase.Unification, "retail") with { Current = Facts(Phase.Unification, "retail").Previous! },
        };
        // Staging alone, with its upstream's configuration changed: Generate runs, the rest is blocked.
        var upstreamChanged = new Dictionary<Phase, PhaseFacts>(facts) { [Phase.HistUnion] = Facts(Phase.HistUnion, "shop") };
        var blocked = Planner.Plan(new PlanFacts(state, upstreamChanged, [Phase.Staging], Step.Validate, false, new HashSet<Phase>(), "", "2026-12-01T10:00:00.0000000Z"));
        var all = Planner.Plan(new PlanFacts(state, facts, PhaseOrder.All, Step.Validate, false, new HashSet<Phase> { Phase.Unification }, "", "2026-12-01T10:00:00.0000000Z"));
        var withChanges = all with
        {
            Phases = all.Phases.Select(p => p.Phase == Phase.Staging ? p with { GeneratedChanges = [new GeneratedFileChange("staging/a.sql", "changed", "--- a\n+++ b\n")] } : p).ToList(),
        };
        Assert.That(all.Phases.SelectMany(p => p.Steps).Select(s => s.Decision).Distinct(), Is.EquivalentTo(new[] { StepDecision.UpToDate, StepDecision.WillRun, StepDecision.Skipped }));
        Assert.That(blocked.Phases.SelectMany(p => p.Steps).Select(s => s.Decision), Does.Contain(StepDecision.Blocked));
        Assert.That(all.Phase(Phase.Ingestion)!.RestoredFiles, Is.Not.Empty);

        var schema = JsonSchema.FromText(File.ReadAllText(SchemaFile));
        foreach (var plan in new[] { blocked, withChanges })
        {
            var result = schema.Evaluate(JsonDocument.Parse(PlanFile.Serialize(plan)).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.That(result.IsValid, Is.True, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }
    }

    [Test]
    public void TheSchemaListsEveryReasonKind()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaFile));
        var kinds = schema.RootElement.GetProperty("$defs").GetProperty("reason").GetProperty("properties").GetProperty("kind").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(kinds, Is.EquivalentTo(ReasonKinds.All));
    }
}

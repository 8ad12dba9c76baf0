using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Tests.Reporting;

/// <summary>Pipeline states as two builds leave them: a first build that ran everything, then a second one.</summary>
internal static class BuildStates
{
    public static readonly DateTimeOffset FirstBuild = new(2026, 11, 30, 2, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset SecondBuild = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Every phase succeeded in the first build: each step 10 s, one check per phase, one table and a log table in Ingestion.</summary>
    public static PipelineState AllSucceeded()
    {
        var state = new PipelineState { PipelineId = "retail-20261130", Client = "retail", Target = "Local", CreatedAt = FirstBuild, UpdatedAt = FirstBuild };
        var at = FirstBuild;
        foreach (var phase in PhaseOrder.All)
        {
            var steps = new Dictionary<string, StepRecord>();
            foreach (var step in PhaseOrder.Steps)
            {
                steps[step.ToString()] = new StepRecord("Succeeded", at, 10_000);
                at = at.AddSeconds(10);
            }
            IReadOnlyList<TableRecord> tables = phase == Phase.Ingestion
                ? [new("retail_src", "shopify_customers", 100), new("retail_src", "ingestion_log", 6)]
                : [new("db", phase.ToString().ToLowerInvariant() + "_table", 100)];
            state = state.With(phase, p => p with
            {
                Status = PhaseStatus.Succeeded, Steps = steps, Tables = tables, ConfigHash = "hash-" + phase,
                Checks = [Check(phase, at.AddSeconds(-5))],
            });
        }
        return state;
    }

    /// <summary>The second build re-ran Staging from Generate and failed at Execute; Unification did not start.</summary>
    public static PipelineState StagingFailedInSecondBuild() =>
        AllSucceeded().With(Phase.Staging, p => p with
        {
            Status = PhaseStatus.Failed,
            Steps = new Dictionary<string, StepRecord>(p.Steps)
            {
                ["Generate"] = new("Succeeded", SecondBuild.AddSeconds(1), 1_000),
                ["Deploy"] = new("Succeeded", SecondBuild.AddSeconds(2), 2_000),
                ["Execute"] = new("Failed", SecondBuild.AddSeconds(4), 3_000, "CDP3001: no such column: emial"),
            },
        });

    /// <summary>The third build after the fix: Staging from Execute, then Unification, all succeeded.</summary>
    public static PipelineState FixedInThirdBuild(DateTimeOffset third)
    {
        var state = StagingFailedInSecondBuild();
        foreach (var phase in new[] { Phase.Staging, Phase.Unification })
            state = state.With(phase, p =>
            {
                var steps = new Dictionary<string, StepRecord>(p.Steps);
                foreach (var step in (phase == Phase.Staging ? ["Execute", "Monitor", "Validate"] : PhaseOrder.Steps.Select(s => s.ToString())))
                    steps[step] = new StepRecord("Succeeded", third.AddSeconds(steps.Count), 500);
                return p with { Status = PhaseStatus.Succeeded, Steps = steps, Checks = [Check(phase, third.AddSeconds(30))] };
            });
        return state;
    }

    public static CheckResult Check(Phase phase, DateTimeOffset at) =>
        new($"{phase.ToString().ToLowerInvariant()}_rows", phase.ToString(), "not_null", "db.t", "id", "error", CheckStatus.Pass, 0, "every row has an id",
            [], [], "SELECT 1", at, 20);
}

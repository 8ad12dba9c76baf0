using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Testing;

/// <summary>
/// Runs the CdpTest items of one phase (or of every phase), logs each outcome, reports a failure as a coded
/// error, and records the results in the pipeline state, run_results.json and the run log. A phase runs its
/// tests before Deploy, so a broken transform stops before its workflows write anything.
/// </summary>
public static class UnitTestSuite
{
    /// <param name="phase">Only this phase's tests; null for all.</param>
    /// <returns>Whether every test passed.</returns>
    public static bool Run(PipelineSpec spec, Phase? phase, IScratchEngine engine, ICdpLog log, StateStore state, CancellationToken ct)
    {
        var runner = new UnitTestRunner(spec, engine, TimeProvider.System);
        var passed = true;
        var pipelineId = state.Load().PipelineId;
        var runLog = RunLog.Beside(state.Path);
        foreach (var group in spec.Tests.Where(t => phase is null || t.Phase == phase).GroupBy(t => t.Phase))
        {
            var results = new List<UnitTestResult>();
            foreach (var test in group)
            {
                ct.ThrowIfCancellationRequested();
                var (result, problems) = runner.Run(test, ct);
                results.Add(result);
                log.Info($"{test.Phase}: test {test.Name} ({result.Table}) {RunResults.StatusOf(result.Status)}: {result.Message}", important: result.Failed);
                foreach (var p in problems) log.Report(p);
                runLog.Write("test", pipelineId, test.Phase.ToString(), null, new Dictionary<string, object?>
                {
                    ["test"] = result.Name, ["table"] = result.Table, ["status"] = RunResults.StatusOf(result.Status),
                    ["differences"] = result.Differences.Count, ["message"] = result.Message, ["durationMs"] = result.DurationMs,
                });
                passed &= !result.Failed;
            }
            var summary = $"{results.Count(r => r.Status == CheckStatus.Pass)} passed, {results.Count(r => r.Failed)} failed";
            log.Info($"{group.Key}: unit tests: {summary}", important: true);
            if (results.Any(r => r.Failed))
                runLog.Write("decision", pipelineId, group.Key.ToString(), "Test", new Dictionary<string, object?>
                {
                    ["decision"] = "stop_phase", ["reason"] = $"{results.Count(r => r.Failed)} unit test(s) failed", ["before"] = "Deploy",
                });
            var updated = state.Update(s => s.With(group.Key, p => p with { Tests = results }));
            RunResults.Write(updated, RunResults.Beside(state.Path));
        }
        return passed;
    }
}

using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.Results;
using CdpSdk.Core.Sql;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Validation;

/// <summary>
/// The data-quality part of a phase's Validate: runs the phase's CdpCheck items and the built-in
/// row-count comparison, logs each outcome, and turns failures into coded diagnostics. Error-severity
/// failures (and warn ones under CdpWarningsAsErrors) fail the phase, which stops the pipeline before
/// the next phase.
/// </summary>
internal static class QualityGate
{
    public static async Task<IReadOnlyList<CheckResult>> RunAsync(StepContext ctx, IWorkflowBackend backend, IReadOnlyList<TableRecord> tables, RunLog runLog, string pipelineId)
    {
        var settings = ctx.Spec.Settings;
        var runner = new CheckRunner(backend, SqlDialects.Queries, TimeProvider.System, ctx.Cancellation);
        var history = ctx.State.Load().RowCountHistory;
        var declared = ctx.Spec.Checks.Where(c => c.Phase == ctx.Phase).ToList();
        var results = new List<CheckResult>();
        foreach (var check in declared)
            results.Add(await runner.RunAsync(check, settings.WarningsAsErrors, history));
        foreach (var check in BuiltInRowCountChecks(ctx.Phase, tables, declared, history))
            results.Add(await runner.RunAsync(check, settings.WarningsAsErrors, history, builtIn: true));

        foreach (var r in results)
        {
            runLog.Write("check", pipelineId, ctx.Phase.ToString(), Step.Validate.ToString(), new Dictionary<string, object?>
            {
                ["check"] = r.Name, ["rule"] = r.Rule, ["table"] = r.Table, ["severity"] = r.Severity,
                ["status"] = RunResults.StatusOf(r.Status), ["failures"] = r.Failures, ["message"] = r.Message, ["duration_ms"] = r.DurationMs,
            });
            if (r.Status == CheckStatus.Fail && r.Severity == "warn")
                runLog.Write("decision", pipelineId, ctx.Phase.ToString(), Step.Validate.ToString(), new Dictionary<string, object?>
                {
                    ["decision"] = "promote_warning", ["check"] = r.Name, ["reason"] = "CdpWarningsAsErrors is true",
                });
            ctx.Log.Info($"{ctx.Phase}: check {r.Name} ({r.Rule}) {RunResults.StatusOf(r.Status)}: {r.Message}", important: r.Status != CheckStatus.Pass);
        }
        return results;
    }

    /// <summary>The diagnostic for a check that did not pass (null for one that did).</summary>
    public static Diagnostic? Diagnose(StepContext ctx, CheckResult r)
    {
        var at = ctx.Spec.Checks.FirstOrDefault(c => c.Name == r.Name && c.Phase == ctx.Phase)?.At ?? new SourceLocation("");
        var text = $"{ctx.Phase}: check {r.Name} ({r.Rule}, {r.Severity}) {(r.Status == CheckStatus.Error ? "could not run" : "failed")}: {r.Message}.{Sample(r)}";
        if (r.Status == CheckStatus.Warn) text += " Set CdpWarningsAsErrors to true to stop the pipeline on warnings.";
        if (r.Status == CheckStatus.Fail && r.Severity == "warn") text += " (a warning, promoted to an error by CdpWarningsAsErrors)";
        var code = r.Status == CheckStatus.Error ? "CDP5013" : r.Rule == "row_count_change" ? "CDP5014" : r.Severity == "warn" ? "CDP5011" : "CDP5010";
        return r.Status switch
        {
            CheckStatus.Warn => Diagnostic.Warning(code, text, at),
            CheckStatus.Fail or CheckStatus.Error => Diagnostic.Error(code, text, at),
            _ => null,
        };
    }

    /// <summary>A few bad rows, the checked column first, so the build log alone says what to fix.</summary>
    static string Sample(CheckResult r)
    {
        if (r.SampleRows.Count == 0) return "";
        var order = Enumerable.Range(0, r.SampleColumns.Count)
            .OrderBy(i => r.Column.Split(',').Contains(r.SampleColumns[i], StringComparer.OrdinalIgnoreCase) ? 0 : 1).Take(4).ToList();
        var rows = r.SampleRows.Take(3).Select(row => "{" + string.Join(", ", order.Select(i => $"{r.SampleColumns[i]}={row[i] ?? "NULL"}")) + "}");
        return $" Sample: {string.Join(" ", rows)}";
    }

    /// <summary>
    /// Every table the phase produced is compared with its row count after the last successful run
    /// (warn above 20%), unless a declared row_count_change check covers it. Nothing to compare on a first run.
    /// Data tables only: a log or key-stats table grows by one run's rows each run (PhaseTables.IsLog).
    /// </summary>
    internal static IEnumerable<CheckSpec> BuiltInRowCountChecks(Phase phase, IReadOnlyList<TableRecord> tables, IReadOnlyList<CheckSpec> declared, IReadOnlyDictionary<string, long> history)
    {
        foreach (var t in tables.Where(t => !Generation.PhaseTables.IsLog(t.Table)))
        {
            if (!history.ContainsKey($"{t.Database}.{t.Table}")) continue;
            if (declared.Any(c => c.Rule == CheckRule.RowCountChange && c.Database == t.Database && c.Table == t.Table)) continue;
            yield return new CheckSpec
            {
                Name = $"row_count_change_{t.Table}", Phase = phase, Rule = CheckRule.RowCountChange, Database = t.Database, Table = t.Table,
                Max = CheckRules.DefaultMaxRowCountChange, Severity = CheckSeverity.Warn, At = new SourceLocation(""),
            };
        }
    }

    /// <summary>After a successful Validate, the phase's row counts become what the next run compares with.</summary>
    public static PipelineState RememberRowCounts(PipelineState state, IReadOnlyList<TableRecord> tables)
    {
        var history = new SortedDictionary<string, long>(state.RowCountHistory.ToDictionary(), StringComparer.Ordinal);
        foreach (var t in tables) history[$"{t.Database}.{t.Table}"] = t.Rows;
        return state with { RowCountHistory = history };
    }

    public static string Summary(IReadOnlyList<CheckResult> results) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{results.Count(r => r.Status == CheckStatus.Pass)} passed, {results.Count(r => r.Status == CheckStatus.Warn)} warned, {results.Count(r => r.Failed)} failed");
}

using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>
/// Checks the phase left what the next phase needs: every expected table exists and has rows, the
/// ingestion log shows successful loads, staging tables carry their cleaned/standardised columns,
/// enriched tables carry the id and unification gave enough rows one; then the phase's data-quality
/// checks (CdpCheck items and the row-count comparison with the last successful run).
/// </summary>
internal static class ValidateStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        using var backend = ctx.Backend();
        var failures = new List<Diagnostic>();
        var tables = new List<TableRecord>();
        var found = new Dictionary<(string, string), TableInfo>();
        var expected = PhaseTables.Expected(ctx.Spec, ctx.Phase);
        foreach (var database in expected.Select(t => t.Database).Distinct())
        {
            var present = (await backend.ListTablesAsync(database, ctx.Cancellation)).ToDictionary(t => t.Name);
            foreach (var (_, table) in expected.Where(t => t.Database == database))
            {
                if (!present.TryGetValue(table, out var info))
                    failures.Add(Diagnostic.Error("CDP5001", $"{ctx.Phase}: table {database}.{table} does not exist."));
                else if (info.Rows == 0)
                    failures.Add(Diagnostic.Error("CDP5002", $"{ctx.Phase}: table {database}.{table} is empty."));
                if (info is null) continue;
                tables.Add(new TableRecord(database, table, info.Rows));
                found[(database, table)] = info;
            }
        }
        if (failures.Count == 0 && ctx.Phase == Phase.Ingestion) failures.AddRange(await CheckIngestionLogAsync(ctx, backend));
        if (failures.Count == 0 && ctx.Phase == Phase.Staging) failures.AddRange(CheckStagingColumns(ctx, found));
        if (failures.Count == 0 && ctx.Phase == Phase.Unification) failures.AddRange(CheckIdColumns(ctx, found));
        if (failures.Count == 0 && ctx.Phase == Phase.Unification) failures.AddRange(await CheckCoverageAsync(ctx, backend));

        var state = ctx.State.Load();
        var runLog = RunLog.Beside(ctx.State.Path);
        // Data-quality rules run on tables that passed the structural checks; otherwise they would only repeat them.
        IReadOnlyList<CheckResult> checks = failures.Count == 0
            ? await QualityGate.RunAsync(ctx, backend, tables, runLog, state.PipelineId)
            : Skipped(ctx);
        var problems = checks.Select(c => QualityGate.Diagnose(ctx, c)).OfType<Diagnostic>().ToList();
        failures.AddRange(problems.Where(p => p.Severity == DiagnosticSeverity.Error));
        foreach (var warning in problems.Where(p => p.Severity == DiagnosticSeverity.Warning)) ctx.Log.Report(warning);

        ctx.State.Update(s =>
        {
            var next = s.With(ctx.Phase, p => p with { Tables = tables, Checks = checks });
            return failures.Count == 0 ? QualityGate.RememberRowCounts(next, tables) : next;
        });
        foreach (var t in tables) ctx.Log.Info($"{ctx.Phase}: {t.Database}.{t.Table}: {t.Rows} rows");
        if (failures.Count == 0)
        {
            ctx.Log.Info($"{ctx.Phase}: validated {tables.Count} tables, {tables.Sum(t => t.Rows)} rows" +
                         (checks.Count > 0 ? $"; checks: {QualityGate.Summary(checks)}" : ""), important: true);
            return;
        }
        if (checks.Any(c => c.Failed))
            runLog.Write("decision", state.PipelineId, ctx.Phase.ToString(), Step.Validate.ToString(), new Dictionary<string, object?>
            {
                ["decision"] = "stop_pipeline",
                ["reason"] = $"{checks.Count(c => c.Failed)} data-quality check(s) failed",
                ["before"] = ctx.Phase.Next()?.ToString(),
            });
        foreach (var f in failures.SkipLast(1)) ctx.Log.Report(f);
        throw new CdpException(failures[^1]);
    }

    static Phase? Next(this Phase phase) => phase == Phase.Unification ? null : phase + 1;

    static IReadOnlyList<CheckResult> Skipped(StepContext ctx) =>
        ctx.Spec.Checks.Where(c => c.Phase == ctx.Phase).Select(c => new CheckResult(c.Name, c.Phase.ToString(), c.RuleName,
            $"{c.Database}.{c.Table}", string.Join(",", c.Columns), c.Severity.ToString().ToLowerInvariant(), CheckStatus.Skipped, 0,
            "not run: the phase's tables failed validation", [], [], "", DateTimeOffset.UtcNow, 0)).ToList();

    /// <summary>Every object must have a successful ingestion_log row, and its loads together must have brought records.</summary>
    static async Task<IEnumerable<Diagnostic>> CheckIngestionLogAsync(StepContext ctx, IWorkflowBackend backend)
    {
        var failures = new List<Diagnostic>();
        foreach (var o in ctx.Spec.Objects)
        {
            var source = ctx.Spec.SourceOf(o);
            var result = await backend.QueryAsync(source.Database,
                $"SELECT COUNT(*), SUM(records_loaded) FROM \"{source.Database}\".\"ingestion_log\" WHERE source_name = '{source.Name}' AND object_name = '{o.Name}' AND status = 'success'",
                ctx.Cancellation);
            if (Convert.ToInt64(result.Scalar ?? 0L, CultureInfo.InvariantCulture) == 0)
                failures.Add(Diagnostic.Error("CDP5004", $"Ingestion: ingestion_log has no successful load of {source.Name}.{o.Name}.", o.At));
            else if (Convert.ToInt64(result.Rows[0][1] ?? 0L, CultureInfo.InvariantCulture) <= 0)
                failures.Add(Diagnostic.Error("CDP5005", $"Ingestion: every load of {source.Name}.{o.Name} in ingestion_log has records_loaded 0.", o.At));
        }
        return failures;
    }

    /// <summary>A staging table must carry cleaned_&lt;email&gt; and standardized_&lt;phone|timestamp&gt; for the columns it cleans.</summary>
    static IEnumerable<Diagnostic> CheckStagingColumns(StepContext ctx, IReadOnlyDictionary<(string, string), TableInfo> found)
    {
        foreach (var s in ctx.Spec.Staging)
        {
            if (!found.TryGetValue((s.Database, s.Output), out var info)) continue;
            var required = s.EmailColumns.Select(c => "cleaned_" + c)
                .Concat(s.PhoneColumns.Concat(s.TimestampColumns).Select(c => "standardized_" + c));
            var missing = required.Where(c => !info.Columns.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
            if (missing.Count > 0)
                yield return Diagnostic.Error("CDP5006", $"Staging: table {s.Database}.{s.Output} lacks the column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)} its CdpStaging item asks for.", s.At);
        }
    }

    /// <summary>Every enriched table must carry the unification's id column.</summary>
    static IEnumerable<Diagnostic> CheckIdColumns(StepContext ctx, IReadOnlyDictionary<(string, string), TableInfo> found)
    {
        foreach (var u in ctx.Spec.Unifications)
            foreach (var t in u.Tables)
                if (found.TryGetValue((u.Database, t.EnrichedTable), out var info) && !info.Columns.Contains(u.IdName, StringComparer.OrdinalIgnoreCase))
                    yield return Diagnostic.Error("CDP5007", $"Unification: table {u.Database}.enriched_{t.Table} has no id column {u.IdName}.", u.At);
    }

    /// <summary>The share of enriched rows with an id must reach CdpMinIdCoverage.</summary>
    static async Task<IEnumerable<Diagnostic>> CheckCoverageAsync(StepContext ctx, IWorkflowBackend backend)
    {
        var failures = new List<Diagnostic>();
        foreach (var u in ctx.Spec.Unifications)
        {
            long total = 0, withId = 0;
            foreach (var t in u.Tables)
            {
                var r = await backend.QueryAsync(u.Database,
                    $"SELECT COUNT(*), COUNT(\"{u.IdName}\") FROM \"{u.Database}\".\"enriched_{t.Table}\"", ctx.Cancellation);
                total += Convert.ToInt64(r.Rows[0][0], CultureInfo.InvariantCulture);
                withId += Convert.ToInt64(r.Rows[0][1], CultureInfo.InvariantCulture);
            }
            var coverage = total == 0 ? 0 : 100.0 * withId / total;
            ctx.Log.Info($"Unification: {u.Name} gave {withId} of {total} rows an id ({coverage:0.0}%)", important: true);
            if (coverage < ctx.Spec.Settings.MinIdCoverage)
                failures.Add(Diagnostic.Error("CDP5003", $"Unification: {u.Name} gave only {coverage:0.0}% of rows an id, below CdpMinIdCoverage ({ctx.Spec.Settings.MinIdCoverage}%). Check the key columns and their ValidRegexp.", u.At));
        }
        return failures;
    }
}

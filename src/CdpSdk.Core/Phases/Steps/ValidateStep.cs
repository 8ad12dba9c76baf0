using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases.Steps;

/// <summary>
/// Checks the phase left what the next phase needs: every expected table exists and has rows, the
/// ingestion log shows success, and unification gave enough rows an id.
/// </summary>
internal static class ValidateStep
{
    public static async Task RunAsync(StepContext ctx)
    {
        using var backend = ctx.Backend();
        var failures = new List<Diagnostic>();
        var tables = new List<TableRecord>();
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
                if (info is not null) tables.Add(new TableRecord(database, table, info.Rows));
            }
        }
        if (failures.Count == 0 && ctx.Phase == Phase.Ingestion) failures.AddRange(await CheckIngestionLogAsync(ctx, backend));
        if (failures.Count == 0 && ctx.Phase == Phase.Unification) failures.AddRange(await CheckCoverageAsync(ctx, backend));

        ctx.State.Update(s => s.With(ctx.Phase, p => p with { Tables = tables }));
        foreach (var t in tables) ctx.Log.Info($"{ctx.Phase}: {t.Database}.{t.Table}: {t.Rows} rows");
        if (failures.Count == 0)
        {
            ctx.Log.Info($"{ctx.Phase}: validated {tables.Count} tables, {tables.Sum(t => t.Rows)} rows", important: true);
            return;
        }
        foreach (var f in failures.SkipLast(1)) ctx.Log.Report(f);
        throw new CdpException(failures[^1]);
    }

    /// <summary>Every object must have a successful ingestion_log row with records for this session.</summary>
    static async Task<IEnumerable<Diagnostic>> CheckIngestionLogAsync(StepContext ctx, IWorkflowBackend backend)
    {
        var failures = new List<Diagnostic>();
        foreach (var o in ctx.Spec.Objects)
        {
            var source = ctx.Spec.SourceOf(o);
            var result = await backend.QueryAsync(source.Database,
                $"SELECT COUNT(*), MAX(status) FROM \"{source.Database}\".\"ingestion_log\" WHERE source_name = '{source.Name}' AND object_name = '{o.Name}' AND status = 'success'",
                ctx.Cancellation);
            if (Convert.ToInt64(result.Scalar ?? 0L, CultureInfo.InvariantCulture) == 0)
                failures.Add(Diagnostic.Error("CDP5004", $"Ingestion: ingestion_log has no successful load of {source.Name}.{o.Name}.", o.At));
        }
        return failures;
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

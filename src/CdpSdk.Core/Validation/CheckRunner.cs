using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Validation;

/// <summary>
/// Runs data-quality checks through the backend's query seam, so the same checks run on the Local
/// warehouse and on Treasure Data. A check whose query fails is an Error result, never an exception:
/// one broken check must not hide the outcome of the others.
/// </summary>
public sealed class CheckRunner(IWorkflowBackend backend, ISqlDialect dialect, TimeProvider clock, CancellationToken ct)
{
    public const int SampleSize = 5;
    const int MaxValueLength = 80;

    /// <param name="warningsAsErrors">CdpWarningsAsErrors: a failing warn check counts as failed.</param>
    /// <param name="previousRows">Row counts of the last successful run, by database.table (row_count_change).</param>
    public async Task<CheckResult> RunAsync(CheckSpec check, bool warningsAsErrors, IReadOnlyDictionary<string, long> previousRows, bool builtIn = false)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        Outcome outcome;
        try
        {
            outcome = check.Rule switch
            {
                CheckRule.Completeness => await CompletenessAsync(check),
                CheckRule.Schema => await SchemaAsync(check),
                CheckRule.RowCountChange => await RowCountChangeAsync(check, previousRows),
                // A line break before the wrapper's ')' so a trailing '--' comment in the user's query cannot swallow it.
                CheckRule.Sql => await BadRowsAsync(check, check.Query + "\n", null),
                _ => await BadRowsAsync(check, CheckSql.BadRows(check, dialect, started), null),
            };
        }
        catch (CdpException e)
        {
            return Result(check, CheckStatus.Error, 0, $"The check could not run: {e.Message}", Outcome.Empty, started, watch, builtIn);
        }

        if (outcome.Failures == 0)
            return Result(check, CheckStatus.Pass, 0, outcome.Message ?? "passed", outcome, started, watch, builtIn);
        var status = check.Severity == CheckSeverity.Error || warningsAsErrors ? CheckStatus.Fail : CheckStatus.Warn;
        return Result(check, status, outcome.Failures, outcome.Message ?? Describe(check, outcome.Failures), outcome, started, watch, builtIn);
    }

    async Task<Outcome> BadRowsAsync(CheckSpec check, string badRows, string? message)
    {
        var count = Convert.ToInt64((await backend.QueryAsync(check.Database, CheckSql.Count(badRows), ct)).Scalar ?? 0L, CultureInfo.InvariantCulture);
        if (count == 0) return new Outcome(0, badRows, [], [], message);
        var sample = await backend.QueryAsync(check.Database, CheckSql.Sample(badRows, SampleSize), ct);
        return new Outcome(count, badRows, sample.Columns, sample.Rows.Select(r => (IReadOnlyList<string?>)r.Select(Text).ToList()).ToList(), message);
    }

    async Task<Outcome> CompletenessAsync(CheckSpec check)
    {
        var sql = CheckSql.Filled(check, dialect);
        var row = (await backend.QueryAsync(check.Database, sql, ct)).Rows[0];
        var total = Convert.ToInt64(row[0], CultureInfo.InvariantCulture);
        var filled = Convert.ToInt64(row[1], CultureInfo.InvariantCulture);
        var percent = total == 0 ? 100 : 100.0 * filled / total;
        var min = check.Min ?? 100;
        var summary = $"{check.Column} is filled in {filled} of {total} rows ({percent:0.#}%, at least {min:0.#}% required)";
        if (percent >= min) return new Outcome(0, sql, [], [], summary);
        var missing = await BadRowsAsync(check, CheckSql.BadRows(check, dialect, clock.GetUtcNow()), summary);
        return missing;
    }

    async Task<Outcome> SchemaAsync(CheckSpec check)
    {
        var table = (await backend.ListTablesAsync(check.Database, ct)).FirstOrDefault(t => t.Name == check.Table)
            ?? throw new CdpException("CDP5013", $"table {check.Database}.{check.Table} does not exist.");
        var missing = check.Columns.Where(c => !table.Columns.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        var rows = missing.Select(c => (IReadOnlyList<string?>)[c, "missing"]).ToList();
        var failures = (long)missing.Count;
        var queries = new List<string>();
        foreach (var (column, family) in check.ColumnTypes.Where(t => !missing.Contains(t.Key)))
        {
            var sql = CheckSql.WrongType(check, dialect, column, family);
            queries.Add(sql);
            var wrong = await BadRowsAsync(check, sql, null);
            if (wrong.Failures == 0) continue;
            failures += wrong.Failures;
            rows.AddRange(wrong.Rows.Take(SampleSize).Select(r => (IReadOnlyList<string?>)[column, $"{r[1]} value '{r[0]}' where {family} is required"]));
        }
        var message = failures == 0 ? null
            : string.Join("; ", new[]
              {
                  missing.Count > 0 ? $"missing column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing)}" : null,
                  failures > missing.Count ? $"{failures - missing.Count} value(s) of the wrong type" : null,
              }.Where(s => s is not null)) + $" in {check.Database}.{check.Table}";
        return new Outcome(failures, string.Join(";\n", queries), ["column", "problem"], rows.Take(SampleSize).ToList(), message);
    }

    async Task<Outcome> RowCountChangeAsync(CheckSpec check, IReadOnlyDictionary<string, long> previousRows)
    {
        var sql = CheckSql.RowCount(check.Database, check.Table, dialect);
        var now = Convert.ToInt64((await backend.QueryAsync(check.Database, sql, ct)).Scalar ?? 0L, CultureInfo.InvariantCulture);
        var key = $"{check.Database}.{check.Table}";
        if (!previousRows.TryGetValue(key, out var before))
            return new Outcome(0, sql, [], [], $"{now} rows; no earlier successful run to compare with");
        var change = before == 0 ? (now == 0 ? 0 : 100.0) : 100.0 * Math.Abs(now - before) / before;
        var limit = check.Max ?? CheckRules.DefaultMaxRowCountChange;
        var summary = $"{key} has {now} rows, {before} after the last successful run ({(now >= before ? "+" : "-")}{change:0.#}%, at most {limit:0.#}% expected)";
        return change > limit
            ? new Outcome(Math.Abs(now - before), sql, ["previous_rows", "rows", "change_percent"], [[Str(before), Str(now), change.ToString("0.#", CultureInfo.InvariantCulture)]], summary)
            : new Outcome(0, sql, [], [], summary);
    }

    static string Describe(CheckSpec c, long failures) => c.Rule switch
    {
        CheckRule.NotNull => $"{failures} row(s) of {c.Database}.{c.Table} have no {c.Column}",
        CheckRule.Unique => $"{failures} value(s) of {c.Column} occur more than once in {c.Database}.{c.Table}",
        CheckRule.AcceptedValues => $"{failures} row(s) of {c.Database}.{c.Table} have a {c.Column} outside {string.Join(", ", c.Values)}",
        CheckRule.Relationships => $"{failures} row(s) of {c.Database}.{c.Table} have a {c.Column} not found in {c.ToDatabase}.{c.ToTable}.{c.Field}",
        CheckRule.Range => $"{failures} row(s) of {c.Database}.{c.Table} have a {c.Column} outside [{c.Min?.ToString(CultureInfo.InvariantCulture) ?? "-∞"}, {c.Max?.ToString(CultureInfo.InvariantCulture) ?? "∞"}]",
        CheckRule.Freshness => $"{failures} problem(s) with the timestamps of {c.Database}.{c.Table}.{c.Column}",
        CheckRule.Sql => $"{failures} row(s) returned by {c.SqlFile}, the query of rows that break the rule",
        _ => $"{failures} failure(s)",
    };

    CheckResult Result(CheckSpec c, CheckStatus status, long failures, string message, Outcome o, DateTimeOffset started, Stopwatch watch, bool builtIn) =>
        new(c.Name, c.Phase.ToString(), c.RuleName, c.Rule == CheckRule.Sql && c.Table.Length == 0 ? c.SqlFile : $"{c.Database}.{c.Table}", string.Join(",", c.Columns), c.Severity.ToString().ToLowerInvariant(),
            status, failures, message, o.Columns, o.Rows, o.Sql, started, watch.ElapsedMilliseconds, builtIn);

    static string Str(long v) => v.ToString(CultureInfo.InvariantCulture);

    static string? Text(object? value)
    {
        var text = value switch
        {
            null => null,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        return text is { Length: > MaxValueLength } ? text[..(MaxValueLength - 1)] + "…" : text;
    }

    sealed record Outcome(long Failures, string Sql, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows, string? Message)
    {
        public static readonly Outcome Empty = new(0, "", [], [], null);
    }
}

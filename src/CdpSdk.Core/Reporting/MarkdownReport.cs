using System.Globalization;
using System.Text;
using CdpSdk.Core.Results;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Reporting;

/// <summary>report.md: the report for a terminal, a pull request or a wiki; the lineage as a Mermaid flowchart.</summary>
public static class MarkdownReport
{
    public static string Render(ReportData r)
    {
        var md = new StringBuilder();
        md.AppendLine($"# CDP pipeline report: {r.Client}");
        md.AppendLine();
        md.AppendLine($"**{(r.Failed ? "✗" : r.Outcome == "Succeeded" || r.NothingToDo ? "✓" : r.SkippedPhases.Count > 0 ? "⚠" : "…")} {r.Outcome}** · pipeline `{Or(r.PipelineId, "(not started)")}` · target {r.Target}");
        md.AppendLine();
        // A skipped phase leads the report: everything below it was built on incomplete data.
        foreach (var p in r.SkippedPhases)
            md.AppendLine($"> [!WARNING]").AppendLine($"> **⚠ SKIPPED:** {Cell(p.SkipBanner!)}").AppendLine();
        md.AppendLine(When(r)).AppendLine();

        md.AppendLine("## Phases").AppendLine();
        md.AppendLine(r.BuildStartedAt is null
            ? "A report of the pipeline state, not of one build: each phase as its latest run left it. Durations belong to a build and are in the report the pipeline build writes."
            : "What each phase did in this build; durations are this build's.").AppendLine();
        md.AppendLine("| Phase | In this build | Status | Duration | Data tables | Rows | Log and stats tables | Last run | Sessions |").AppendLine("|---|---|---|---:|---:|---:|---:|---|---|");
        foreach (var p in r.Phases)
            md.AppendLine($"| {p.Phase} | {BuildText(p)} | {StatusText(p)} | {PhaseDuration(p)} | {p.Tables} | {p.Rows:N0} | {LogText(p)} | {Time(p.LastRunAt)} | {Cell(string.Join(", ", p.Sessions))} |");
        foreach (var p in r.Phases.Where(p => p.Error is not null && p.Skip is null))
            md.AppendLine().AppendLine($"> **{p.Phase} failed at {p.FailedStep}{(p.Outcome is { RanInThisBuild: false } ? " (in an earlier build)" : "")}:** {Cell(p.Error!)}");
        md.AppendLine();

        md.AppendLine("## Data quality").AppendLine();
        if (r.Checks.Count == 0) md.AppendLine("No checks ran yet (declare them as `CdpCheck` items).");
        else
        {
            if (r.BuildStartedAt is not null && r.Checks.Any(c => !r.InThisBuild(c)))
                md.AppendLine($"{r.Checks.Count(r.InThisBuild)} of {r.Checks.Count} checks ran in this build; the others are from the earlier run named in the Run column (their phase did not validate in this build).").AppendLine();
            md.AppendLine("| Check | Phase | Rule | Table | Severity | Result | Failing | Run | Details |").AppendLine("|---|---|---|---|---|---|---:|---|---|");
            foreach (var c in r.Checks)
                md.AppendLine($"| {c.Name}{(c.BuiltIn ? " (built-in)" : "")} | {c.Phase} | {c.Rule} | {c.Table}{(c.Column.Length > 0 ? "." + c.Column : "")} | {c.Severity} | {Icon(c.Status)} {RunResults.StatusOf(c.Status)} | {c.Failures:N0} | {r.RunOf(c)} | {Cell(c.Message)} |");
            foreach (var c in r.Checks.Where(c => c.SampleRows.Count > 0 && c.Status != CheckStatus.Pass))
            {
                md.AppendLine().AppendLine($"Sample of `{c.Name}`:").AppendLine();
                var cols = c.SampleColumns.Take(8).ToList();
                md.AppendLine("| " + string.Join(" | ", cols.Select(Cell)) + " |").AppendLine("|" + string.Concat(cols.Select(_ => "---|")));
                foreach (var row in c.SampleRows) md.AppendLine("| " + string.Join(" | ", row.Take(cols.Count).Select(v => Cell(v ?? "NULL"))) + " |");
            }
        }
        md.AppendLine();
        UnitTestReport.Markdown(md, r.Tests);

        if (r.Decisions.Count > 0)
        {
            md.AppendLine(r.BuildStartedAt is null ? "## Retries and decisions" : "## Retries and decisions in this build").AppendLine();
            md.AppendLine("| Time (UTC) | Phase | Step | What | Diagnosis | Details | Backup |").AppendLine("|---|---|---|---|---|---|---|");
            foreach (var d in r.Decisions)
                md.AppendLine($"| {d.Time} | {d.Phase} | {d.Step} | {d.What} | {d.Diagnosis} | {Cell(d.Reason)} | {d.Backup} |");
            md.AppendLine();
        }

        md.AppendLine("## Unification").AppendLine();
        if (r.Unifications.Count == 0) md.AppendLine("Unification has not completed yet.");
        foreach (var u in r.Unifications)
        {
            md.AppendLine($"### {u.Name} (`{u.IdName}` in {u.Database})").AppendLine();
            md.AppendLine("| Profiles | Records | Records with an id | Coverage | Resolution rate | Key values per profile | Merge iterations | Graph edges |").AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
            md.AppendLine($"| {u.Profiles:N0} | {u.Records:N0} | {u.RecordsWithId:N0} | {u.Coverage:0.0}% | {u.ResolutionRate:0.0}% | {u.KeyValuesPerProfile:0.00} | {u.MergeIterations} | {(u.GraphRows is { } g ? g.ToString("N0", CultureInfo.InvariantCulture) : "—")} |");
            md.AppendLine().AppendLine($"{UnificationHint} Iterations: {u.Iterations}.").AppendLine();
            foreach (var m in u.MasterTables)
                md.AppendLine($"Master table `{m.Table}`: {m.Rows:N0} rows (one per profile), attributes {string.Join(", ", m.Attributes.Select(a => $"`{a}`"))}.").AppendLine();
            Stats(md, $"Key stats per enriched table ({u.IdName}_result_key_stats, {StatsRun(u)}):", u.KeyStats);
            Stats(md, $"Source key stats per source table and key ({u.IdName}_source_key_stats, {StatsRun(u)}):", u.SourceKeyStats);
        }
        md.AppendLine();

        md.AppendLine("## Lineage").AppendLine().AppendLine("```mermaid").AppendLine("flowchart LR");
        var ids = r.Lineage.Nodes.Select((n, i) => (n.Id, Key: "n" + i)).ToDictionary(x => x.Id, x => x.Key);
        foreach (var n in r.Lineage.Nodes) md.AppendLine($"  {ids[n.Id]}[\"{n.Label.Replace("\"", "'")}\"]");
        foreach (var e in r.Lineage.Edges) md.AppendLine($"  {ids[e.From]} --> {ids[e.To]}");
        md.AppendLine("```").AppendLine();

        md.AppendLine("## Files generated").AppendLine();
        foreach (var g in r.Files)
        {
            md.AppendLine($"- **{g.Title}** (`{g.Directory}`): {string.Join(", ", g.Files.Select(f => $"`{f}`"))}");
        }
        md.AppendLine();

        md.AppendLine("## Data dictionary").AppendLine();
        if (r.Dictionary.Count == 0) md.AppendLine("No tables yet.");
        else
        {
            md.AppendLine("| Table | Column | Type | Description | Source |").AppendLine("|---|---|---|---|---|");
            foreach (var d in r.Dictionary) md.AppendLine($"| {d.Table} | {d.Column} | {d.Type} | {Cell(d.Description)} | {Cell(d.Source)} |");
        }
        md.AppendLine();

        md.AppendLine("## Next steps").AppendLine();
        foreach (var s in r.NextSteps) md.AppendLine($"- {s.Title}:").AppendLine().AppendLine("  ```sh").AppendLine($"  {s.Command}").AppendLine("  ```");
        if (r.Notes.Count > 0)
        {
            md.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var n in r.Notes) md.AppendLine($"- {Cell(n)}");
        }
        md.AppendLine().AppendLine($"_Generated {Time(r.GeneratedAt)} by CdpSdk._");
        return md.ToString().ReplaceLineEndings("\n");
    }

    /// <summary>What the figures in the unification table are, in words.</summary>
    internal const string UnificationHint = "Profiles: distinct ids over the enriched tables. Coverage: records that got an id. Resolution rate: records with an id that joined another record's profile. Key values per profile: key values (emails, phones…) in the lookup table per profile, on average. Graph edges: rows of the id graph.";

    static void Stats(StringBuilder md, string title, KeyStatsTable t)
    {
        if (t.Columns.Count == 0) return;
        md.AppendLine(title).AppendLine();
        md.AppendLine("| " + string.Join(" | ", t.Columns) + " |").AppendLine("|" + string.Concat(t.Columns.Select(_ => "---|")));
        foreach (var row in t.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(v => Cell(v ?? ""))) + " |");
        md.AppendLine();
    }

    internal static string StatsRun(UnificationRow u) => u.KeyStatsTime is { } t ? "latest run, " + Time(t) : "latest run";

    /// <summary>The report's time line: this build's start, end and duration, or the state's dates.</summary>
    static string When(ReportData r) => r.BuildStartedAt is { } start
        ? $"Build started {Time(start)} · {(r.NothingToDo ? "nothing ran" : $"ended {Time(r.End)} · duration {Duration(r.Duration)}")} · pipeline first run {Time(r.PipelineCreatedAt)} · checks {Checks(r)}"
        : $"Pipeline first run {Time(r.PipelineCreatedAt)} · report of the state, not of a build · checks {Checks(r.Checks)}";

    /// <summary>What the phase did in this build (succeeded, up to date, FAILED, not run (upstream failed), stale, …).</summary>
    internal static string BuildText(PhaseRow p) => p.Outcome?.Label ?? "—";

    internal static string PhaseDuration(PhaseRow p) => p.Outcome is { RanInThisBuild: true } ? Duration(p.Duration) : "—";

    internal static string LogText(PhaseRow p) =>
        p.LogTables == 0 ? "—" : $"{p.LogTables} ({p.LogRows.ToString("N0", CultureInfo.InvariantCulture)} rows)";

    /// <summary>Checks of this build, and how many more are from earlier runs.</summary>
    internal static string Checks(ReportData r)
    {
        if (r.BuildStartedAt is null) return Checks(r.Checks);
        var now = r.Checks.Where(r.InThisBuild).ToList();
        var earlier = r.Checks.Count - now.Count;
        var text = now.Count == 0 ? "none ran in this build" : QualityGateText(now) + " in this build";
        return earlier == 0 ? text : $"{text}; {earlier} from earlier runs";
    }

    /// <summary>"Failed at Validate"; a skipped phase in capitals so it cannot be read as done.</summary>
    internal static string StatusText(PhaseRow p) =>
        p.Skip is not null ? $"SKIPPED (failed at {p.FailedStep})" : p.FailedStep is null ? p.Status : $"{p.Status} at {p.FailedStep}";

    internal static string Time(DateTimeOffset? t) => t is { } v ? v.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    internal static string Duration(TimeSpan d) =>
        d.TotalHours >= 1 ? $"{(int)d.TotalHours}h {d.Minutes:00}m" : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes}m {d.Seconds:00}s" : $"{d.TotalSeconds:0.0}s";

    internal static string Checks(IReadOnlyList<CheckResult> checks) =>
        checks.Count == 0 ? "none" : QualityGateText(checks);

    internal static string QualityGateText(IReadOnlyList<CheckResult> c) =>
        $"{c.Count(x => x.Status == CheckStatus.Pass)} passed, {c.Count(x => x.Status == CheckStatus.Warn)} warned, {c.Count(x => x.Failed)} failed";

    static string Icon(CheckStatus s) => s switch { CheckStatus.Pass => "✓", CheckStatus.Warn => "⚠", CheckStatus.Skipped => "–", _ => "✗" };

    static string Or(string s, string fallback) => s.Length == 0 ? fallback : s;

    static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}

using System.Globalization;
using System.Net;
using System.Text;
using CdpSdk.Core.Results;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// report.html: one self-contained file (inline CSS and SVG, system fonts, no script, no external asset)
/// that opens anywhere, including as a CI artifact or a mail attachment.
/// </summary>
public static class HtmlReport
{
    public static string Render(ReportData r)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append($"<title>CDP pipeline report · {E(r.Client)}</title><style>{Css}</style></head><body><main>");

        var badge = r.Failed ? "failed" : r.Outcome == "Succeeded" || r.NothingToDo ? "ok" : r.SkippedPhases.Count > 0 ? "skipped" : "pending";
        h.Append($"<header id=\"summary\"><div class=\"title\"><h1>CDP pipeline report <span class=\"client\">{E(r.Client)}</span></h1>");
        h.Append($"<span class=\"badge {badge}\">{E(r.Outcome)}</span></div>");
        // A skipped phase leads the report: everything below it was built on incomplete data.
        foreach (var p in r.SkippedPhases)
            h.Append($"<div class=\"alert skipped-phase\" role=\"alert\"><strong>⚠ SKIPPED:</strong> {E(p.SkipBanner!)}</div>");
        h.Append($"<p class=\"meta\">Pipeline <code>{E(r.PipelineId.Length == 0 ? "(not started)" : r.PipelineId)}</code> · target {E(r.Target)} · {E(Path.GetFileName(r.ProjectFile))}</p>");
        h.Append("<div class=\"cards\">");
        if (r.BuildStartedAt is { } started)
        {
            Card(h, "Build started", MarkdownReport.Time(started));
            Card(h, "Ended", r.NothingToDo ? "nothing ran" : MarkdownReport.Time(r.End));
            Card(h, "Duration (this build)", r.NothingToDo ? "—" : MarkdownReport.Duration(r.Duration));
        }
        else Card(h, "Report of", "the state, not of a build");
        Card(h, "Pipeline first run", MarkdownReport.Time(r.PipelineCreatedAt));
        Card(h, "Phases done", $"{r.Phases.Count(p => p.Status == "Succeeded")} of {r.Phases.Count}");
        Card(h, "Checks", MarkdownReport.Checks(r));
        if (r.Unifications.FirstOrDefault() is { } u0) Card(h, "Profiles", $"{u0.Profiles:N0} ({u0.Coverage:0.0}% coverage)");
        h.Append("</div></header>");

        Section(h, "phases", "Phases");
        h.Append($"<p class=\"hint\">{(r.BuildStartedAt is null ? "A report of the pipeline state, not of one build: each phase as its latest run left it. Durations belong to a build and are in the report the pipeline build writes." : "What each phase did in this build; durations are this build's. Log and stats tables (ingestion_log, key stats) grow by every run and are counted apart from the data.")}</p>");
        h.Append("<table id=\"phase-table\"><thead><tr><th>Phase</th><th>In this build</th><th>Status</th><th class=\"num\">Duration</th><th class=\"num\">Data tables</th><th class=\"num\">Rows</th><th class=\"num\">Log and stats tables</th><th>Last run</th><th>Sessions</th></tr></thead><tbody>");
        foreach (var p in r.Phases)
            h.Append($"<tr class=\"phase {PhaseClass(p)}\"><td>{E(p.Phase)}</td><td><span class=\"status {OutcomeClass(p)}\">{E(MarkdownReport.BuildText(p))}</span></td><td><span class=\"status {PhaseClass(p)}\">{E(MarkdownReport.StatusText(p))}</span></td>" +
                     $"<td class=\"num\">{MarkdownReport.PhaseDuration(p)}</td><td class=\"num\">{p.Tables}</td><td class=\"num\">{p.Rows:N0}</td><td class=\"num\">{E(MarkdownReport.LogText(p))}</td>" +
                     $"<td>{E(MarkdownReport.Time(p.LastRunAt))}</td><td class=\"ids\">{E(string.Join(", ", p.Sessions))}</td></tr>");
        h.Append("</tbody></table>");
        foreach (var p in r.Phases.Where(p => p.Error is not null && p.Skip is null))
            h.Append($"<div class=\"alert\"><strong>{E(p.Phase)} failed at {E(p.FailedStep ?? "")}:</strong> {E(p.Error!)}</div>");
        h.Append("</section>");

        Section(h, "lineage", "Lineage");
        h.Append("<p class=\"hint\">From the sources to the enriched tables. Green: produced by a phase that succeeded; red: its phase failed; orange, dotted: its phase failed and was skipped; dashed: not run yet.</p>");
        h.Append("<div class=\"scroll\">").Append(LineageSvg.Render(r.Lineage)).Append("</div></section>");

        Quality(h, r);
        UnitTestReport.Html(h, r.Tests);
        if (r.Decisions.Count > 0)
        {
            Section(h, "decisions", r.BuildStartedAt is null ? "Retries and decisions" : "Retries and decisions in this build");
            h.Append("<table id=\"decision-table\"><thead><tr><th>Time (UTC)</th><th>Phase</th><th>Step</th><th>What</th><th>Diagnosis</th><th>Details</th><th>Backup</th></tr></thead><tbody>");
            foreach (var d in r.Decisions)
                h.Append($"<tr><td>{E(d.Time)}</td><td>{E(d.Phase)}</td><td>{E(d.Step)}</td><td>{E(d.What)}</td><td>{E(d.Diagnosis)}</td><td>{E(d.Reason)}</td><td><code>{E(d.Backup)}</code></td></tr>");
            h.Append("</tbody></table></section>");
        }
        Unification(h, r.Unifications);

        Section(h, "files", "Files generated");
        h.Append("<ul class=\"files\">");
        foreach (var g in r.Files)
            h.Append($"<li><strong>{E(g.Title)}</strong> <code>{E(g.Directory)}</code><div>{string.Join(" ", g.Files.Select(f => $"<code class=\"file\">{E(f)}</code>"))}</div></li>");
        h.Append("</ul></section>");

        Dictionary(h, r.Dictionary);

        Section(h, "next-steps", "Next steps");
        h.Append("<ol class=\"steps\">");
        foreach (var s in r.NextSteps) h.Append($"<li><p>{E(s.Title)}</p><pre><code>{E(s.Command)}</code></pre></li>");
        h.Append("</ol></section>");
        if (r.Notes.Count > 0)
        {
            Section(h, "notes", "Notes");
            h.Append("<ul>").Append(string.Concat(r.Notes.Select(n => $"<li>{E(n)}</li>"))).Append("</ul></section>");
        }
        h.Append($"<footer>Generated {MarkdownReport.Time(r.GeneratedAt)} by CdpSdk · machine-readable: <code>obj/cdp/{RunResults.FileName}</code>, <code>obj/cdp/{RunLog.FileName}</code></footer>");
        h.Append("</main></body></html>\n");
        return h.ToString();
    }

    static void Quality(StringBuilder h, ReportData r)
    {
        var checks = r.Checks;
        Section(h, "data-quality", "Data quality");
        if (checks.Count == 0)
        {
            h.Append("<p class=\"hint\">No checks ran yet. Declare them as <code>CdpCheck</code> items in the project.</p></section>");
            return;
        }
        if (r.BuildStartedAt is not null && checks.Any(c => !r.InThisBuild(c)))
            h.Append($"<p class=\"hint\">{checks.Count(r.InThisBuild)} of {checks.Count} checks ran in this build; the others are from the earlier run named in the Run column (their phase did not validate in this build).</p>");
        h.Append("<table id=\"check-table\"><thead><tr><th>Check</th><th>Phase</th><th>Rule</th><th>Table</th><th>Severity</th><th>Result</th><th class=\"num\">Failing</th><th>Run</th><th>Details</th></tr></thead><tbody>");
        foreach (var c in checks)
        {
            var status = RunResults.StatusOf(c.Status);
            h.Append($"<tr class=\"check {status}{(r.BuildStartedAt is not null && !r.InThisBuild(c) ? " earlier-run" : "")}\"><td>{E(c.Name)}{(c.BuiltIn ? " <span class=\"tag\">built-in</span>" : "")}</td><td>{E(c.Phase)}</td><td><code>{E(c.Rule)}</code></td>" +
                     $"<td>{E(c.Table).Replace(".", ".<wbr>")}{(c.Column.Length > 0 ? "<wbr><span class=\"col\">." + E(c.Column) + "</span>" : "")}</td><td>{E(c.Severity)}</td><td><span class=\"status {status}\">{E(status)}</span></td>" +
                     $"<td class=\"num\">{c.Failures:N0}</td><td>{E(r.RunOf(c))}</td><td>{E(c.Message)}");
            if (c.SampleRows.Count > 0 && c.Status != CheckStatus.Pass)
            {
                var cols = c.SampleColumns.Take(8).ToList();
                h.Append("<details><summary>Sample of failing rows</summary><table class=\"sample\"><tr>").Append(string.Concat(cols.Select(x => $"<th>{E(x)}</th>"))).Append("</tr>");
                foreach (var row in c.SampleRows)
                    h.Append("<tr>").Append(string.Concat(row.Take(cols.Count).Select(v => v is null ? "<td class=\"null\">NULL</td>" : $"<td>{E(v)}</td>"))).Append("</tr>");
                h.Append("</table></details>");
            }
            h.Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    static void Unification(StringBuilder h, IReadOnlyList<UnificationRow> unifications)
    {
        Section(h, "unification", "Unification");
        if (unifications.Count == 0) h.Append("<p class=\"hint\">Unification has not completed yet.</p>");
        foreach (var u in unifications)
        {
            h.Append($"<h3>{E(u.Name)} <span class=\"hint\">id <code>{E(u.IdName)}</code> in {E(u.Database)}</span></h3><div class=\"cards\">");
            Card(h, "Profiles", u.Profiles.ToString("N0", CultureInfo.InvariantCulture));
            Card(h, "Records with an id", $"{u.RecordsWithId:N0} of {u.Records:N0}");
            Card(h, "Coverage", $"{u.Coverage:0.0}%");
            Card(h, "Resolution rate", $"{u.ResolutionRate:0.0}%");
            Card(h, "Key values per profile", u.KeyValuesPerProfile.ToString("0.00", CultureInfo.InvariantCulture));
            Card(h, "Merge iterations", u.MergeIterations.ToString(CultureInfo.InvariantCulture));
            if (u.GraphRows is { } graph) Card(h, "Graph edges", graph.ToString("N0", CultureInfo.InvariantCulture));
            h.Append($"</div><p class=\"hint\">{E(MarkdownReport.UnificationHint)} Iterations: {E(u.Iterations)}.</p>");
            foreach (var m in u.MasterTables)
                h.Append($"<p>Master table <code>{E(m.Table)}</code>: {m.Rows:N0} rows (one per profile), attributes {string.Join(", ", m.Attributes.Select(a => $"<code>{E(a)}</code>"))}.</p>");
            Stats(h, $"Key stats per enriched table ({u.IdName}_result_key_stats, {MarkdownReport.StatsRun(u)})", u.KeyStats);
            Stats(h, $"Source key stats per source table and key ({u.IdName}_source_key_stats, {MarkdownReport.StatsRun(u)})", u.SourceKeyStats);
        }
        h.Append("</section>");
    }

    static void Stats(StringBuilder h, string title, KeyStatsTable t)
    {
        if (t.Columns.Count == 0) return;
        h.Append($"<h4>{E(title)}</h4><table class=\"keystats\"><thead><tr>").Append(string.Concat(t.Columns.Select(c => $"<th>{E(c)}</th>"))).Append("</tr></thead><tbody>");
        foreach (var row in t.Rows) h.Append("<tr>").Append(string.Concat(row.Select(v => $"<td>{E(v ?? "")}</td>"))).Append("</tr>");
        h.Append("</tbody></table>");
    }

    static void Dictionary(StringBuilder h, IReadOnlyList<DictionaryRow> rows)
    {
        Section(h, "dictionary", "Data dictionary");
        if (rows.Count == 0) h.Append("<p class=\"hint\">No tables yet.</p>");
        foreach (var table in rows.GroupBy(d => d.Table))
        {
            h.Append($"<details class=\"dict\"><summary><code>{E(table.Key)}</code> <span class=\"hint\">{table.Count()} columns</span></summary>");
            h.Append("<table><thead><tr><th>Column</th><th>Type</th><th>Description</th><th>Source</th></tr></thead><tbody>");
            foreach (var d in table) h.Append($"<tr><td><code>{E(d.Column)}</code></td><td>{E(d.Type)}</td><td>{E(d.Description)}</td><td>{E(d.Source)}</td></tr>");
            h.Append("</tbody></table></details>");
        }
        h.Append("</section>");
    }

    /// <summary>A skipped phase gets its own class: "skipped" already means a check that did not run, which is grey and quiet.</summary>
    static string PhaseClass(PhaseRow p) => p.Skip is not null ? "skipped-phase" : p.Status.ToLowerInvariant();

    /// <summary>Green for a phase that ran or was up to date, red for one that failed in this build, grey for the rest.</summary>
    static string OutcomeClass(PhaseRow p) => p.Outcome?.Outcome switch
    {
        PhaseOutcome.Ran or PhaseOutcome.UpToDate => "succeeded",
        PhaseOutcome.Failed => "failed",
        PhaseOutcome.Skipped => "skipped-phase",
        PhaseOutcome.Stale => "warn",
        _ => "notstarted",
    };

    static void Section(StringBuilder h, string id, string title) => h.Append($"<section id=\"{id}\"><h2>{E(title)}</h2>");

    static void Card(StringBuilder h, string label, string value) =>
        h.Append($"<div class=\"card\"><div class=\"label\">{E(label)}</div><div class=\"value\">{E(value)}</div></div>");

    static string E(string s) => WebUtility.HtmlEncode(s);

    const string Css = """
        :root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--ok:#059669;--bad:#dc2626;--warn:#d97706;--bg:#f8fafc}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
        main{max-width:1240px;margin:0 auto;padding:28px 32px 48px}
        header .title{display:flex;align-items:center;gap:16px;flex-wrap:wrap}h1{font-size:26px;margin:0}.client{color:var(--muted);font-weight:500}
        h2{font-size:18px;margin:0 0 12px}h3{font-size:15px;margin:16px 0 8px}.meta,.hint{color:var(--muted)}.hint{font-size:13px;font-weight:400}
        .badge{padding:4px 12px;border-radius:999px;font-weight:600;font-size:13px}.badge.ok{background:#d1fae5;color:#065f46}.badge.failed{background:#fee2e2;color:#991b1b}.badge.pending{background:#fef3c7;color:#92400e}.badge.skipped{background:#ffedd5;color:#9a3412;border:2px solid #ea580c}
        .cards{display:flex;flex-wrap:wrap;gap:12px;margin:14px 0}.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:10px 16px;min-width:150px}
        .card .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}.card .value{font-size:17px;font-weight:600}
        section{background:#fff;border:1px solid var(--line);border-radius:12px;padding:18px 20px;margin:18px 0}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
        th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.03em;background:#f8fafc}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .ids{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;color:var(--muted)}
        .status{display:inline-block;padding:1px 9px;border-radius:999px;font-size:12px;font-weight:600;background:#f1f5f9;color:#475569}
        .status.succeeded,.status.pass{background:#d1fae5;color:#065f46}.status.failed,.status.fail,.status.error{background:#fee2e2;color:#991b1b}
        .status.warn,.status.running{background:#fef3c7;color:#92400e}.status.notstarted,.status.skipped{background:#f1f5f9;color:#64748b}
        tr.phase.failed td{background:#fff7f7}tr.check.earlier-run td{color:var(--muted)}h4{font-size:13px;margin:14px 0 6px}.alert{margin-top:12px;padding:10px 14px;border-left:4px solid var(--bad);background:#fef2f2;border-radius:6px;overflow-wrap:anywhere}
        .alert.skipped-phase{border-left-color:#ea580c;background:#fff7ed;font-size:15px}.status.skipped-phase{background:#ea580c;color:#fff}tr.phase.skipped-phase td{background:#fff7ed}
        .scroll{overflow-x:auto}svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;background:#f1f5f9;padding:1px 5px;border-radius:4px}
        .col{color:var(--muted)}.tag{font-size:11px;color:var(--muted);border:1px solid var(--line);border-radius:4px;padding:0 4px}
        details{margin:6px 0}summary{cursor:pointer}table.sample{margin-top:6px;font-size:12px}table.sample td.null,td.null{color:var(--bad);font-style:italic}
        .files li{margin:6px 0}.files code.file{display:inline-block;margin:2px 4px 0 0}
        .steps li{margin-bottom:10px}.steps p{margin:0 0 4px}pre{margin:0;background:#0f172a;color:#e2e8f0;padding:10px 12px;border-radius:8px;overflow-x:auto}pre code{background:none;color:inherit;padding:0}
        footer{color:var(--muted);font-size:12px;margin-top:24px}
        #check-table td:nth-child(-n+3),#check-table td:nth-child(n+5):not(:last-child){white-space:nowrap}
        #check-table td:nth-child(4){min-width:200px}#check-table td:last-child{min-width:220px;width:28%}
        """;
}

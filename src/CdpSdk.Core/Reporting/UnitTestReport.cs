using System.Net;
using System.Text;
using CdpSdk.Core.Results;
using CdpSdk.Core.Testing;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Reporting;

/// <summary>The report's "Unit tests" section (CdpTest items), apart from the data-quality checks, in Markdown and HTML.</summary>
internal static class UnitTestReport
{
    public static void Markdown(StringBuilder md, IReadOnlyList<UnitTestResult> tests)
    {
        if (tests.Count == 0) return;
        md.AppendLine("## Unit tests").AppendLine();
        md.AppendLine("| Test | Phase | Table | Result | Differences | Details |").AppendLine("|---|---|---|---|---:|---|");
        foreach (var t in tests)
            md.AppendLine($"| {t.Name} | {t.Phase} | {t.Table} | {(t.Status == CheckStatus.Pass ? "✓" : "✗")} {RunResults.StatusOf(t.Status)} | {t.Differences.Count} | {Cell(t.Message)} |");
        foreach (var t in tests.Where(t => t.Differences.Count > 0))
        {
            md.AppendLine().AppendLine($"Row diff of `{t.Name}`:").AppendLine();
            md.AppendLine("| Kind | Line | Row | Changed columns |").AppendLine("|---|---:|---|---|");
            foreach (var d in t.Differences)
                md.AppendLine($"| {d.Kind} | {(d.Line == 0 ? "" : d.Line)} | {Cell(d.Row)} | {Cell(Changes(d))} |");
        }
        md.AppendLine();
    }

    public static void Html(StringBuilder h, IReadOnlyList<UnitTestResult> tests)
    {
        if (tests.Count == 0) return;
        h.Append("<section id=\"unit-tests\"><h2>Unit tests</h2>");
        h.Append("<table id=\"unit-test-table\"><thead><tr><th>Test</th><th>Phase</th><th>Table</th><th>Result</th><th class=\"num\">Differences</th><th>Details</th></tr></thead><tbody>");
        foreach (var t in tests)
        {
            var status = RunResults.StatusOf(t.Status);
            h.Append($"<tr class=\"check {status}\"><td>{E(t.Name)}</td><td>{E(t.Phase)}</td><td>{E(t.Table)}</td><td><span class=\"status {status}\">{E(status)}</span></td>")
             .Append($"<td class=\"num\">{t.Differences.Count}</td><td>{E(t.Message)}");
            if (t.Differences.Count > 0)
            {
                h.Append("<details><summary>Row diff</summary><table class=\"sample\"><tr><th>kind</th><th>line</th><th>row</th><th>changed columns</th></tr>");
                foreach (var d in t.Differences)
                    h.Append($"<tr><td>{E(d.Kind)}</td><td>{(d.Line == 0 ? "" : d.Line)}</td><td>{E(d.Row)}</td><td>{E(Changes(d))}</td></tr>");
                h.Append("</table></details>");
            }
            h.Append("</td></tr>");
        }
        h.Append("</tbody></table></section>");
    }

    static string Changes(RowDifference d) => string.Join("; ", d.Changes.Select(c => $"{c.Column}: expected {c.Expected ?? "NULL"}, got {c.Actual ?? "NULL"}"));

    static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    static string E(string s) => WebUtility.HtmlEncode(s);
}

using System.Globalization;
using System.Net;
using System.Text;

namespace CdpSdk.Core.Reporting;

/// <summary>
/// The lineage as an inline SVG: one column per stage, left to right, boxes coloured by the status of
/// the phase that produced them, curved edges between them. No script, no external asset.
/// </summary>
public static class LineageSvg
{
    const int ColumnWidth = 212, BoxWidth = 192, BoxHeight = 38, Gap = 12, Top = 34, Left = 8;

    static readonly (LineageKind Kind, string Title)[] Stages =
    [
        (LineageKind.Source, "Sources"), (LineageKind.Ingestion, "Ingestion"), (LineageKind.HistUnion, "Hist-union"),
        (LineageKind.Staging, "Staging"), (LineageKind.Unification, "Unification"), (LineageKind.Enriched, "Enriched"),
    ];

    public static string Render(Lineage lineage)
    {
        var columns = Stages.Select(s => lineage.Nodes.Where(n => n.Kind == s.Kind).ToList()).ToList();
        var tallest = Math.Max(1, columns.Max(c => c.Count));
        var height = Top + tallest * (BoxHeight + Gap) + 8;
        var width = Left + Stages.Length * ColumnWidth;
        var place = new Dictionary<string, (double X, double Y)>();
        for (var c = 0; c < columns.Count; c++)
        {
            // Centre each column so a single unification box sits level with the tables it joins.
            var offset = (tallest - columns[c].Count) * (BoxHeight + Gap) / 2.0;
            for (var i = 0; i < columns[c].Count; i++)
                place[columns[c][i].Id] = (Left + c * ColumnWidth, Top + offset + i * (BoxHeight + Gap));
        }

        var svg = new StringBuilder();
        svg.Append(Fmt($"<svg id=\"lineage-diagram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" style=\"width:100%;max-width:{width}px;height:auto\" role=\"img\" aria-label=\"Lineage from sources to enriched tables\">"));
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 8 8\" refX=\"7\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L8,4 L0,8 z\" fill=\"#94a3b8\"/></marker></defs>");
        for (var c = 0; c < Stages.Length; c++)
            svg.Append(Fmt($"<text class=\"stage\" x=\"{Left + c * ColumnWidth + BoxWidth / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\" fill=\"#475569\">{Stages[c].Title.ToUpperInvariant()}</text>"));
        foreach (var e in lineage.Edges)
        {
            if (!place.TryGetValue(e.From, out var a) || !place.TryGetValue(e.To, out var b)) continue;
            double x1 = a.X + BoxWidth, y1 = a.Y + BoxHeight / 2.0, x2 = b.X - 2, y2 = b.Y + BoxHeight / 2.0, mid = (x1 + x2) / 2;
            svg.Append(Fmt($"<path class=\"edge\" d=\"M{x1:0.#},{y1:0.#} C{mid:0.#},{y1:0.#} {mid:0.#},{y2:0.#} {x2:0.#},{y2:0.#}\" fill=\"none\" stroke=\"#94a3b8\" stroke-width=\"1.4\" marker-end=\"url(#arrow)\"/>"));
        }
        foreach (var n in lineage.Nodes)
        {
            var (x, y) = place[n.Id];
            var (fill, stroke, dash) = Colours(n);
            svg.Append(Fmt($"<g class=\"node {n.Kind.ToString().ToLowerInvariant()}\" data-status=\"{n.Status}\"><title>{Esc(n.Id[(n.Id.IndexOf(':') + 1)..])} ({n.Status})</title>"));
            svg.Append(Fmt($"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"7\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}/>"));
            svg.Append(Fmt($"<text x=\"{x + 10:0.#}\" y=\"{y + 16:0.#}\" font-size=\"11\" font-weight=\"600\" fill=\"#0f172a\">{Esc(Fit(n.Label, 29))}</text>"));
            svg.Append(Fmt($"<text x=\"{x + 10:0.#}\" y=\"{y + 30:0.#}\" font-size=\"10\" fill=\"#64748b\">{Esc(Fit(n.Detail, 32))}</text></g>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    static (string Fill, string Stroke, string Dash) Colours(LineageNode n) => n.Kind == LineageKind.Source
        ? ("#f1f5f9", "#64748b", "")
        : n.Status switch
        {
            "Succeeded" => (n.Kind == LineageKind.Unification ? "#ede9fe" : "#ecfdf5", n.Kind == LineageKind.Unification ? "#7c3aed" : "#059669", ""),
            "Failed" => ("#fef2f2", "#dc2626", ""),
            "Running" => ("#fffbeb", "#d97706", ""),
            "Skipped" => ("#fff7ed", "#ea580c", " stroke-dasharray=\"2 3\""),
            _ => ("#ffffff", "#cbd5e1", " stroke-dasharray=\"5 4\""),
        };

    static string Fit(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";

    static string Esc(string s) => WebUtility.HtmlEncode(s);

    static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

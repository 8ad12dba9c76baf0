using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Reporting;

/// <summary>Sources → ingested tables → hist-union → staging → unification → enriched tables, from the spec.</summary>
public static class LineageBuilder
{
    public static Lineage Build(PipelineSpec spec, PipelineState state)
    {
        var nodes = new List<LineageNode>();
        var edges = new List<LineageEdge>();
        string Status(Phase p) => state.Phase(p).Status.ToString();
        void Node(string id, string label, string detail, LineageKind kind, string status)
        {
            if (nodes.All(n => n.Id != id)) nodes.Add(new LineageNode(id, label, detail, kind, status));
        }
        void Edge(string from, string to)
        {
            if (!edges.Contains(new LineageEdge(from, to))) edges.Add(new LineageEdge(from, to));
        }

        foreach (var o in spec.Objects)
        {
            var s = spec.SourceOf(o);
            var sourceId = $"src:{s.Name}.{o.Name}";
            Node(sourceId, $"{s.Name}.{o.Name}", s.Connector == "file" ? o.Location : s.Connector, LineageKind.Source, "Succeeded");
            if (s.LoadsHistorical)
            {
                Node($"tbl:{s.Database}.{o.HistTable}", o.HistTable, s.Database, LineageKind.Ingestion, Status(Phase.Ingestion));
                Edge(sourceId, $"tbl:{s.Database}.{o.HistTable}");
            }
            if (s.LoadsIncremental)
            {
                Node($"tbl:{s.Database}.{o.Table}", o.Table, s.Database, LineageKind.Ingestion, Status(Phase.Ingestion));
                Edge(sourceId, $"tbl:{s.Database}.{o.Table}");
            }
        }
        foreach (var h in spec.HistUnion)
        {
            var id = $"tbl:{h.Database}.{h.Output}";
            Node(id, h.Output, h.Database, LineageKind.HistUnion, Status(Phase.HistUnion));
            foreach (var input in new[] { h.HistTable, h.IncTable }.OfType<string>()) Edge($"tbl:{h.Database}.{input}", id);
        }
        foreach (var s in spec.Staging)
        {
            var id = $"tbl:{s.Database}.{s.Output}";
            Node(id, s.Output, s.Database, LineageKind.Staging, Status(Phase.Staging));
            Edge($"tbl:{s.InputDatabase}.{s.Input}", id);
        }
        foreach (var u in spec.Unifications)
        {
            var unifyId = $"uni:{u.Name}";
            Node(unifyId, u.Name, $"{u.IdName} · {u.IdMethod.ToTd()}", LineageKind.Unification, Status(Phase.Unification));
            foreach (var t in u.Tables)
            {
                var enriched = $"tbl:{u.Database}.enriched_{t.Table}";
                Node(enriched, t.EnrichedTable, u.Database, LineageKind.Enriched, Status(Phase.Unification));
                Edge($"tbl:{t.Database}.{t.Table}", unifyId);
                Edge(unifyId, enriched);
            }
        }
        // An edge from a table the spec does not list (e.g. a unification table outside staging) would dangle.
        return new Lineage(nodes, edges.Where(e => nodes.Any(n => n.Id == e.From) && nodes.Any(n => n.Id == e.To)).ToList());
    }
}

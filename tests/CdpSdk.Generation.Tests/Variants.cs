using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>Shapes of projects beyond the sample, so checks cover every branch of the generators.</summary>
internal static class Variants
{
    static RawItem Item(string type, string identity, params (string, string)[] metadata) =>
        new(type, identity, metadata.ToDictionary(m => m.Item1, m => m.Item2), new SourceLocation(RetailSpecs.ProjectFile));

    /// <summary>
    /// The sample with web signups read from a Parquet file. Set on the spec, because reading the project would
    /// need the file beside the sample (CDP0045); the reader's side of Format=parquet is the configuration tests'.
    /// </summary>
    public static PipelineSpec ParquetSignups()
    {
        var spec = RetailSpecs.For("local");
        return spec with
        {
            Objects = spec.Objects.Select(o => o.Name == "signups" ? o with { Format = "parquet", Location = "data/web/signups.parquet", HistoricalLocation = "data/web/signups.parquet" } : o).ToList(),
        };
    }

    public static IEnumerable<(string Name, PipelineSpec Spec)> All()
    {
        foreach (var dialect in RetailSpecs.Dialects) yield return ("retail/" + dialect, RetailSpecs.For(dialect));
        yield return ("canonical id, full refresh", RetailSpecs.For("presto", (items, _) =>
        {
            var u = items.Single(i => i.ItemType == "CdpUnification");
            items[items.IndexOf(u)] = u with { Metadata = new Dictionary<string, string> { ["IdMethod"] = "canonical_id", ["UpdateStrategy"] = "full", ["IdName"] = "cid" } };
        }));
        yield return ("two unifications", RetailSpecs.For("hive", (items, _) =>
        {
            items.Add(Item("CdpUnification", "household"));
            for (var i = 0; i < items.Count; i++)
                if (items[i].ItemType is "CdpUnificationKey" or "CdpUnificationTable" or "CdpUnificationMasterAttribute")
                    items[i] = items[i] with { Metadata = new Dictionary<string, string>(items[i].Metadata) { ["Unification"] = "customer_360" } };
            items.Add(Item("CdpUnificationKey", "phone", ("Unification", "household")));
            items.Add(Item("CdpUnificationTable", "pos_members", ("Unification", "household"), ("KeyColumns", "standardized_mobile:phone")));
        }));
        yield return ("historical-only source", RetailSpecs.For("local", (items, _) =>
        {
            var pos = items.Single(i => i.ItemType == "CdpSource" && i.Identity == "pos");
            items[items.IndexOf(pos)] = pos with { Metadata = new Dictionary<string, string>(pos.Metadata) { ["Mode"] = "historical" } };
        }));
        yield return ("parquet object", ParquetSignups());
        yield return ("default staging and unification", RetailSpecs.For("presto", (items, _) =>
        {
            // The sample's master attributes and checks name tables this variant no longer stages.
            items.RemoveAll(i => i.ItemType is "CdpStaging" or "CdpUnificationKey" or "CdpUnificationTable" or "CdpUnificationMasterAttribute" or "CdpCheck");
            items.Add(Item("CdpStaging", "pos_members", ("EmailColumns", "email")));
        }));
    }
}

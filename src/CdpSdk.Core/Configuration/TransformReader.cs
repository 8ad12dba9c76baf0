using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads CdpHistUnion and CdpStaging items; both default to "every table of the previous phase".</summary>
internal static class TransformReader
{
    public static IReadOnlyList<HistUnionTableSpec> ReadHistUnion(ReadContext ctx, IReadOnlyList<SourceSpec> sources, IReadOnlyList<ObjectSpec> objects)
    {
        var all = objects.Where(o => sources.Any(s => s.Name == o.Source)).Select(o =>
        {
            var s = sources.First(x => x.Name == o.Source);
            return new HistUnionTableSpec
            {
                Table = o.Table, Source = s.Name, Database = s.Database,
                HistTable = s.LoadsHistorical ? o.HistTable : null, IncTable = s.LoadsIncremental ? o.Table : null,
                PrimaryKey = o.PrimaryKey, IncrementalField = s.IncrementalField,
            };
        }).ToList();

        var items = ctx.Project.ItemsOf("CdpHistUnion").ToList();
        if (items.Count == 0) return all;
        var chosen = new List<HistUnionTableSpec>();
        foreach (var item in items)
        {
            var spec = all.FirstOrDefault(t => t.Table == item.Identity);
            if (spec is null)
                ctx.Error("CDP0050", $"CdpHistUnion '{item.Identity}' is not an ingested table. Ingested tables: {string.Join(", ", all.Select(t => t.Table))}.", item.Location);
            else if (chosen.Contains(spec))
                ctx.Error("CDP0051", $"CdpHistUnion '{item.Identity}' is declared twice.", item.Location);
            else chosen.Add(spec);
        }
        return chosen;
    }

    public static IReadOnlyList<StagingTableSpec> ReadStaging(ReadContext ctx, GlobalSettings settings, IReadOnlyList<HistUnionTableSpec> histUnion)
    {
        var items = ctx.Project.ItemsOf("CdpStaging").ToList();
        if (items.Count == 0)
            return histUnion.Select(h => new StagingTableSpec
            {
                Input = h.Output, InputDatabase = h.Database, Output = h.Table, Database = settings.StagingDatabase, Source = h.Source,
                At = new(ctx.Project.ProjectFile), IncrementalField = h.IncrementalField,
            }).ToList();

        var staged = new List<StagingTableSpec>();
        foreach (var item in items)
        {
            var input = histUnion.FirstOrDefault(h => h.Table == item.Identity || h.Output == item.Identity);
            if (input is null)
            {
                ctx.Error("CDP0060", $"CdpStaging '{item.Identity}' is not a hist-union table. Hist-union tables: {string.Join(", ", histUnion.Select(h => h.Table))}.", item.Location);
                continue;
            }
            var output = item.Get("Table") is { Length: > 0 } t ? t : input.Table;
            if (!NameRules.IsTable(output))
                ctx.Error("CDP0061", $"Table '{output}' of CdpStaging '{item.Identity}' is not a valid table name.", item.Location);
            if (staged.Any(s => s.Output == output))
                ctx.Error("CDP0062", $"CdpStaging '{item.Identity}' writes table '{output}', which another CdpStaging item already writes.", item.Location);

            var transformSql = UserTransform.Read(ctx, settings, item);
            staged.Add(new StagingTableSpec
            {
                Input = input.Output, InputDatabase = input.Database, Output = output, Database = settings.StagingDatabase, Source = input.Source,
                EmailColumns = Columns(ctx, item, "EmailColumns"), PhoneColumns = Columns(ctx, item, "PhoneColumns"), TimestampColumns = Columns(ctx, item, "TimestampColumns"),
                At = item.Location,
                TransformSql = transformSql, IncrementalField = input.IncrementalField,
                TransformHiveSql = UserTransform.ReadHive(ctx, settings, item, transformSql),
            });
        }
        return staged;
    }

    static IReadOnlyList<string> Columns(ReadContext ctx, RawItem item, string metadata)
    {
        var columns = NameRules.SplitList(item.Get(metadata));
        foreach (var c in columns.Where(c => !NameRules.IsSymbol(c)))
            ctx.Error("CDP0063", $"'{c}' in {metadata} of CdpStaging '{item.Identity}' is not a column name.", item.Location);
        return columns;
    }
}

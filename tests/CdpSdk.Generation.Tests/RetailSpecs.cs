using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Testing;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// The retail sample (samples/retail/retail.cdpproj) as the build resolves it, read in place so its data
/// files and TransformSql exist; for Local (as the sample is: Presto SQL run on DuckDB), and for Presto and Hive (TreasureData, with schedules).
/// </summary>
internal static partial class RetailSpecs
{
    /// <summary>"local": the sample as it is (Local target, the Presto rendering run on DuckDB); presto and hive on TreasureData.</summary>
    public static readonly string[] Dialects = ["local", "presto", "hive"];

    public static string SampleDir => Repo.Path("samples", "retail");

    public static string ProjectFile => Path.Combine(SampleDir, "retail.cdpproj");

    public static PipelineSpec For(string dialect, Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null)
    {
        var result = Read(dialect, change);
        return result.Spec ?? throw new AssertionException(string.Join("\n", result.Diagnostics));
    }

    /// <summary>
    /// samples/retail/retail.cdpproj read in place: as it is for local, on TreasureData with schedules for
    /// presto and hive; <paramref name="change"/> edits its items and properties first.
    /// </summary>
    public static ReadResult Read(string dialect, Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null)
    {
        var raw = CdpprojFile.Read(ProjectFile);
        var properties = new Dictionary<string, RawProperty>(raw.Properties, StringComparer.OrdinalIgnoreCase);
        void Prop(string name, string value) => properties[name] = new RawProperty(name, value, new SourceLocation(ProjectFile));
        if (dialect != "local")
        {
            Prop("CdpTarget", "TreasureData");
            Prop("CdpSqlEngine", dialect);
            Prop("CdpIngestionSchedule", "daily 01:00");
            Prop("CdpHistUnionSchedule", "daily>: 02:00:00");
            Prop("CdpStagingSchedule", "daily 03:00");
            Prop("CdpUnificationSchedule", "0 4 * * *");
        }
        var items = raw.Items.ToList();
        change?.Invoke(items, properties);
        if (properties.TryGetValue("CdpSqlEngine", out var engine) && engine.Value == "hive") GiveHiveTransforms(items);
        // A variant that drops or renames a transform would leave the sample's unit test without its table
        // (CDP0300); unit tests are the Local tests' subject, not generation's.
        if (change is not null) items.RemoveAll(i => i.ItemType == "CdpTest");

        return PipelineSpecReader.Read(raw with { Properties = properties, Items = items, DeclaredProperties = [.. properties.Values], DeclaredItems = items },
            () => new ApiKey("12345/abcdef0123456789", "test"));
    }
}

internal static partial class RetailSpecs
{
    /// <summary>The sample's Hive transform files (sql/x.hive.sql beside sql/x.sql), as a hive project must name them (CDP0106).</summary>
    static void GiveHiveTransforms(List<RawItem> items)
    {
        for (var i = 0; i < items.Count; i++)
            if (items[i] is { ItemType: "CdpStaging" } item && item.Get("TransformSql") is { Length: > 0 } presto && item.Get("TransformHiveSql").Length == 0)
                items[i] = item with { Metadata = new Dictionary<string, string>(item.Metadata) { ["TransformHiveSql"] = presto[..^4] + ".hive.sql" } };
    }
}

internal static class Repo
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    static string Find()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Directory.Packages.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}

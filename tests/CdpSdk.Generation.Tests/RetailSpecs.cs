using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// The retail sample (samples/retail/retail.cdpproj) as MSBuild evaluates it, read in place so its data
/// files and TransformSql exist; for SQLite (Local), and for Presto and Hive (TreasureData, with schedules).
/// </summary>
internal static class RetailSpecs
{
    public static readonly string[] Dialects = ["sqlite", "presto", "hive"];

    public static string SampleDir => Repo.Path("samples", "retail");

    public static PipelineSpec For(string dialect, Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null) =>
        Read(dialect, change).Spec ?? throw new AssertionException(string.Join("\n", Read(dialect, change).Diagnostics));

    public static ReadResult Read(string dialect, Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null, string? projectDir = null)
    {
        var projectFile = Path.Combine(projectDir ?? SampleDir, "retail.cdpproj");
        var properties = new Dictionary<string, RawProperty>(StringComparer.OrdinalIgnoreCase);
        void Prop(string name, string value) => properties[name] = new RawProperty(name, value, new SourceLocation(projectFile));
        Prop("CdpClient", "retail");
        Prop("CdpMinIdCoverage", "90");
        if (dialect == "sqlite") Prop("CdpTarget", "Local");
        else
        {
            Prop("CdpTarget", "TreasureData");
            Prop("CdpSqlEngine", dialect);
            Prop("CdpIngestionSchedule", "daily 01:00");
            Prop("CdpHistUnionSchedule", "daily>: 02:00:00");
            Prop("CdpStagingSchedule", "daily 03:00");
            Prop("CdpUnificationSchedule", "0 4 * * *");
        }

        var items = new List<RawItem>();
        void Item(string type, string identity, params (string, string)[] metadata) =>
            items.Add(new RawItem(type, identity, metadata.ToDictionary(m => m.Item1, m => m.Item2), new SourceLocation(projectFile)));
        Item("CdpSource", "shopify", ("Connector", "file"), ("Mode", "both"), ("IncrementalField", "updated_at"), ("StartDate", "2024-01-01T00:00:00.000000"));
        foreach (var o in new[] { "customers", "orders" })
            Item("CdpObject", o, ("Source", "shopify"), ("Location", $"data/shopify/{o}.csv"), ("HistoricalLocation", $"data/shopify/{o}_history.csv"));
        Item("CdpSource", "pos", ("Connector", "file"), ("Mode", "incremental"), ("IncrementalField", "updated_at"));
        Item("CdpObject", "members", ("Source", "pos"), ("Location", "data/pos/members.csv"), ("PrimaryKey", "member_id"));
        Item("CdpSource", "web", ("Connector", "file"), ("Mode", "incremental"), ("IncrementalField", "event_time"));
        Item("CdpObject", "signups", ("Source", "web"), ("Location", "data/web/signups.csv"), ("PrimaryKey", "event_id"));
        Item("CdpStaging", "shopify_customers", ("EmailColumns", "email"), ("PhoneColumns", "phone"), ("TimestampColumns", "created_at,updated_at"));
        Item("CdpStaging", "shopify_orders", ("EmailColumns", "customer_email"), ("TimestampColumns", "ordered_at,updated_at"));
        Item("CdpStaging", "pos_members", ("EmailColumns", "email"), ("PhoneColumns", "mobile"));
        Item("CdpStaging", "web_signups", ("EmailColumns", "email"), ("TimestampColumns", "event_time"), ("TransformSql", "sql/web_signups.sql"));
        Item("CdpUnification", "customer_360", ("IdMethod", "persistent_id"), ("UpdateStrategy", "incremental"), ("IdName", "td_id"), ("MergeIterations", "3"));
        Item("CdpUnificationKey", "email", ("ValidRegexp", ".*@.*"), ("InvalidTexts", "test@example.com,none@none.com"));
        Item("CdpUnificationKey", "phone", ("ValidRegexp", "^[0-9]{10,15}$"), ("InvalidTexts", "0000000000"));
        Item("CdpUnificationTable", "shopify_customers", ("KeyColumns", "cleaned_email:email,standardized_phone:phone"));
        Item("CdpUnificationTable", "shopify_orders", ("KeyColumns", "cleaned_customer_email:email"));
        Item("CdpUnificationTable", "pos_members", ("KeyColumns", "cleaned_email:email,standardized_mobile:phone"));
        Item("CdpUnificationTable", "web_signups", ("KeyColumns", "cleaned_email:email"));
        change?.Invoke(items, properties);

        return PipelineSpecReader.Read(new RawProject(projectFile, properties, items, [], []), () => new ApiKey("12345/abcdef0123456789", "test"));
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

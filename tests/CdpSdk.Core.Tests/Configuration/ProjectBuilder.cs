using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>
/// Builds a <see cref="RawProject"/> the way the MSBuild task would: every property and item gets the
/// next line of an imaginary project file, so tests can check that errors point at the right line.
/// </summary>
public sealed class ProjectBuilder(string projectFile)
{
    readonly Dictionary<string, RawProperty> properties = new(StringComparer.OrdinalIgnoreCase);
    readonly List<RawProperty> declaredProperties = [];
    readonly List<RawItem> items = [];
    int line = 1;

    public string ProjectFile { get; } = projectFile;
    public string Directory => Path.GetDirectoryName(ProjectFile)!;

    public ProjectBuilder Property(string name, string value)
    {
        var p = new RawProperty(name, value, Next());
        properties[name] = p;
        declaredProperties.Add(p);
        return this;
    }

    public ProjectBuilder WithoutProperty(string name)
    {
        properties.Remove(name);
        declaredProperties.RemoveAll(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return this;
    }

    /// <param name="metadata">name=value pairs, as attributes on the item element.</param>
    public ProjectBuilder Item(string itemType, string identity, params string[] metadata)
    {
        var values = metadata.Select(m => m.Split('=', 2)).ToDictionary(m => m[0], m => m[1], StringComparer.OrdinalIgnoreCase);
        items.Add(new RawItem(itemType, identity, values, Next()));
        return this;
    }

    public ProjectBuilder WithoutItems(string itemType)
    {
        items.RemoveAll(i => i.ItemType == itemType);
        return this;
    }

    public SourceLocation PropertyAt(string name) => properties[name].Location;

    public SourceLocation ItemAt(string itemType, string identity) => items.Last(i => i.ItemType == itemType && i.Identity == identity).Location;

    public RawProject Build() => new(ProjectFile, new Dictionary<string, RawProperty>(properties, StringComparer.OrdinalIgnoreCase), items.ToList(), declaredProperties.ToList(), items.ToList());

    public ReadResult Read(ApiKey? apiKey = null) => PipelineSpecReader.Read(Build(), () => apiKey);

    SourceLocation Next() => new(ProjectFile, ++line, 5);
}

/// <summary>A temporary project folder with the retail sample's data files, deleted after the test.</summary>
public sealed class SampleFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cdp-core-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public SampleFolder()
    {
        foreach (var file in new[] { "data/shopify/customers.csv", "data/shopify/customers_history.csv", "data/shopify/orders.csv", "data/shopify/orders_history.csv", "data/pos/members.csv", "data/web/signups.csv" })
            Write(file, "id,email,updated_at\n");
    }

    public string Write(string relative, string content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    /// <summary>The retail sample, in code: three sources, four staging tables, one unification on email and phone.</summary>
    public ProjectBuilder Retail() => new ProjectBuilder(System.IO.Path.Combine(Path, "retail.cdpproj"))
        .Property("CdpClient", "retail")
        .Property("CdpTarget", "Local")
        .Item("CdpSource", "shopify", "Connector=file", "Mode=both", "IncrementalField=updated_at", "StartDate=2024-01-01T00:00:00.000000")
        .Item("CdpObject", "customers", "Source=shopify", "Location=data/shopify/customers.csv", "HistoricalLocation=data/shopify/customers_history.csv")
        .Item("CdpObject", "orders", "Source=shopify", "Location=data/shopify/orders.csv", "HistoricalLocation=data/shopify/orders_history.csv")
        .Item("CdpSource", "pos", "Connector=file", "Mode=incremental")
        .Item("CdpObject", "members", "Source=pos", "Location=data/pos/members.csv", "PrimaryKey=member_id")
        .Item("CdpSource", "web", "Mode=incremental", "IncrementalField=event_time")
        .Item("CdpObject", "signups", "Source=web", "Location=data/web/signups.csv", "PrimaryKey=event_id")
        .Item("CdpStaging", "shopify_customers", "EmailColumns=email", "PhoneColumns=phone", "TimestampColumns=created_at,updated_at")
        .Item("CdpStaging", "shopify_orders", "EmailColumns=customer_email")
        .Item("CdpStaging", "pos_members", "EmailColumns=email", "PhoneColumns=mobile")
        .Item("CdpStaging", "web_signups", "EmailColumns=email")
        .Item("CdpUnification", "customer_360");

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

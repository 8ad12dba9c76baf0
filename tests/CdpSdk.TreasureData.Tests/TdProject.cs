using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// A small TreasureData project in a temp folder (one source, staging, one unification) whose endpoint is
/// a fake TD; runs phases through the real PhaseRunner with a TreasureDataBackend.
/// </summary>
internal sealed class TdProject : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cdp-td-tests", Guid.NewGuid().ToString("N")[..10]);
    public MemoryLog Log { get; } = new();
    public FakeTdServer Server { get; }
    public Dictionary<string, string> Properties { get; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, string?> Environment { get; } = [];
    /// <summary>The staging item's EmailColumns (a test misspells it to provoke a wrong column).</summary>
    public string EmailColumn { get; set; } = "email";
    /// <summary>Items a test adds to the project (a CdpCheck, a CdpTest).</summary>
    public List<RawItem> ExtraItems { get; } = [];

    public TdProject(FakeTdServer server)
    {
        Server = server;
        Directory.CreateDirectory(Path.Combine(Root, "data"));
        File.WriteAllText(Path.Combine(Root, "data", "customers.csv"), "id,email,phone,updated_at\n1,a@example.com,5551234567,2024-01-01\n");
        Properties["CdpClient"] = "acme";
        Properties["CdpTarget"] = "TreasureData";
        Properties["CdpEndpoint"] = server.BaseUrl;
        Properties["CdpMonitorPollInterval"] = "0";
        Properties["CdpHttpRetryDelay"] = "0.01";
        Properties["CdpHttpTimeout"] = "5";
    }

    public string ProjectFile => Path.Combine(Root, "acme.cdpproj");

    public ApiKey Key => new(Server.ApiKey, "test");

    public PipelineSpec Spec()
    {
        var at = new SourceLocation(ProjectFile);
        var props = Properties.ToDictionary(p => p.Key, p => new RawProperty(p.Key, p.Value, at), StringComparer.OrdinalIgnoreCase);
        var items = new List<RawItem>
        {
            new("CdpSource", "shop", new Dictionary<string, string> { ["Mode"] = "both", ["IncrementalField"] = "updated_at" }, at),
            new("CdpObject", "customers", new Dictionary<string, string> { ["Source"] = "shop", ["Location"] = "data/customers.csv" }, at),
            new("CdpStaging", "shop_customers", new Dictionary<string, string> { ["EmailColumns"] = EmailColumn, ["PhoneColumns"] = "phone" }, at),
            new("CdpUnification", "people", new Dictionary<string, string>(), at),
            new("CdpUnificationKey", "email", new Dictionary<string, string>(), at),
            new("CdpUnificationTable", "shop_customers", new Dictionary<string, string> { ["KeyColumns"] = "cleaned_email:email" }, at),
        };
        items.AddRange(ExtraItems);
        WriteProjectFile(items);
        var raw = new RawProject(ProjectFile, props, items, props.Values.ToList(), items);
        var result = PipelineSpecReader.Read(raw, () => Key);
        Assert.That(result.Spec, Is.Not.Null, string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    /// <summary>The same project as a .cdpproj on disk: the file a fix corrects a setting in (e.g. a wrong EmailColumns).</summary>
    void WriteProjectFile(IEnumerable<RawItem> items)
    {
        var project = new System.Xml.Linq.XElement("Project", new System.Xml.Linq.XAttribute("Sdk", "CdpSdk"),
            new System.Xml.Linq.XElement("PropertyGroup", Properties.Select(p => new System.Xml.Linq.XElement(p.Key, p.Value))),
            new System.Xml.Linq.XElement("ItemGroup", items.Select(i => new System.Xml.Linq.XElement(i.ItemType,
                new[] { new System.Xml.Linq.XAttribute("Include", i.Identity) }.Concat(i.Metadata.Select(m => new System.Xml.Linq.XAttribute(m.Key, m.Value)))))));
        File.WriteAllText(ProjectFile, project.ToString() + "\n");
    }

    public StateStore State => new(Path.Combine(Root, "obj", "cdp", "pipeline_state.json"));

    public TreasureDataBackend Backend(PipelineSpec spec) =>
        new(spec.Settings, Key, Log, name => Environment.TryGetValue(name, out var v) ? v : null)
        {
            FirstJobPoll = TimeSpan.FromMilliseconds(10),
            MaxJobPoll = TimeSpan.FromMilliseconds(50),
        };

    public StepContext Context(PipelineSpec spec, Phase phase, CancellationToken ct = default) =>
        new(spec, phase, "hash", State, () => Backend(spec), Log, ct) { ProjectFile = ProjectFile, BackendFor = Backend };

    public async Task RunPhaseAsync(PipelineSpec spec, Phase phase, CancellationToken ct = default)
    {
        foreach (var step in PhaseOrder.Steps)
            await PhaseRunner.RunAsync(Context(spec, phase, ct), step);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

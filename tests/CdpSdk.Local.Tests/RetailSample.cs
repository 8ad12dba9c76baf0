using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The retail sample in a temp folder: its data copied beside a project file, its items as MSBuild would
/// evaluate them, and helpers to run a phase end to end on a LocalBackend.
/// </summary>
internal sealed class RetailSample : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cdp-local-tests", Guid.NewGuid().ToString("N"));
    public MemoryLog Log { get; } = new();

    public RetailSample()
    {
        CopyDirectory(Path.Combine(RepoRoot(), "samples", "retail", "data"), Path.Combine(Root, "data"));
    }

    public string ProjectFile => Path.Combine(Root, "retail.cdpproj");

    /// <summary>The rows of a data file of this copy of the sample, e.g. data/pos/members.csv.</summary>
    public List<Dictionary<string, string>> Rows(string relativePath) => SampleData.Read(Path.Combine(Root, relativePath));

    public static string RepositoryRoot => RepoRoot();

    public PipelineSpec Spec(Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null)
    {
        var properties = new Dictionary<string, RawProperty>(StringComparer.OrdinalIgnoreCase);
        void Prop(string name, string value) => properties[name] = new RawProperty(name, value, new SourceLocation(ProjectFile));
        Prop("CdpClient", "retail");
        Prop("CdpTarget", "Local");
        Prop("CdpMinIdCoverage", "90");

        var items = new List<RawItem>();
        void Item(string type, string identity, params (string, string)[] metadata) =>
            items.Add(new RawItem(type, identity, metadata.ToDictionary(m => m.Item1, m => m.Item2), new SourceLocation(ProjectFile)));
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
        Item("CdpStaging", "web_signups", ("EmailColumns", "email"), ("TimestampColumns", "event_time"));
        Item("CdpUnification", "customer_360", ("IdMethod", "persistent_id"), ("UpdateStrategy", "incremental"), ("IdName", "td_id"), ("MergeIterations", "3"));
        Item("CdpUnificationKey", "email", ("ValidRegexp", ".*@.*"), ("InvalidTexts", "test@example.com,none@none.com"));
        Item("CdpUnificationKey", "phone", ("ValidRegexp", "^[0-9]{10,15}$"), ("InvalidTexts", "0000000000"));
        Item("CdpUnificationKey", "td_client_id", ("ValidRegexp", "^c[0-9]+$"));
        Item("CdpUnificationTable", "shopify_customers", ("KeyColumns", "cleaned_email:email,standardized_phone:phone"));
        Item("CdpUnificationTable", "shopify_orders", ("KeyColumns", "cleaned_customer_email:email"));
        Item("CdpUnificationTable", "pos_members", ("KeyColumns", "cleaned_email:email,standardized_mobile:phone"));
        Item("CdpUnificationTable", "web_signups", ("KeyColumns", "cleaned_email:email,td_client_id:td_client_id"));
        Item("CdpUnificationMasterAttribute", "email", ("SourceColumns", "shopify_customers.cleaned_email:1:last:updated_at,pos_members.cleaned_email:2:last:updated_at"));
        Item("CdpUnificationMasterAttribute", "phones", ("ArrayElements", "2"), ("SourceColumns", "pos_members.standardized_mobile:1:last:updated_at,shopify_customers.standardized_phone:2:last:updated_at"));
        change?.Invoke(items, properties);

        var result = PipelineSpecReader.Read(new RawProject(ProjectFile, properties, items, [], []), () => null);
        Assert.That(result.Spec, Is.Not.Null, () => string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    public LocalBackend Backend(PipelineSpec spec) => new(spec.Settings.WarehouseDir, spec.Settings.ProjectDirectory, Log);

    /// <summary>Generate → write → deploy → run every workflow of the phase; fails the test with the log when a run fails.</summary>
    public async Task<IReadOnlyList<SessionRef>> RunPhase(PipelineSpec spec, Phase phase, LocalBackend backend, DateTimeOffset? sessionTime = null)
    {
        var project = WorkflowGenerator.Generate(spec, phase);
        var dir = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
        ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
        var sessions = new List<SessionRef>();
        foreach (var workflow in project.Workflows)
        {
            var session = await backend.StartAsync(revision, workflow, sessionTime ?? SessionTime, CancellationToken.None);
            var status = await backend.GetStatusAsync(session, CancellationToken.None);
            Assert.That(status.State, Is.EqualTo(RunState.Success),
                () => $"{workflow} failed:\n" + string.Join("\n", status.Tasks.Where(t => t.Error is not null).Select(t => $"{t.FullName}: {t.Error}")) +
                      "\n" + backend.GetLogAsync(session, "", CancellationToken.None).Result);
            sessions.Add(session);
        }
        return sessions;
    }

    public async Task RunAll(PipelineSpec spec, LocalBackend backend)
    {
        foreach (var phase in PhaseOrder.All) await RunPhase(spec, phase, backend);
    }

    public static readonly DateTimeOffset SessionTime = new(2024, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task<long> Count(IWorkflowBackend backend, string database, string sql) =>
        Convert.ToInt64((await backend.QueryAsync(database, sql, CancellationToken.None)).Scalar);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }

    static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Testing;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The retail sample in a temp folder: a copy of samples/retail/retail.cdpproj with its data and SQL, read
/// into a spec as the build resolves it, and helpers to run a phase end to end on a LocalBackend.
/// </summary>
internal sealed class RetailSample : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "cdp-local-tests", Guid.NewGuid().ToString("N"));
    public MemoryLog Log { get; } = new();

    /// <summary>A copy of samples/<paramref name="sample"/> (retail unless named, e.g. td-unification/ex1): its project and files, without build output or warehouse.</summary>
    public RetailSample(string sample = "retail")
    {
        var folder = Path.Combine(RepoRoot(), "samples", sample);
        CopyDirectory(folder, Root);
        ProjectFile = Directory.GetFiles(Root, "*.cdpproj").Single();
    }

    public string ProjectFile { get; }

    /// <summary>The rows of a data file of this copy of the sample, e.g. data/pos/members.csv.</summary>
    public List<Dictionary<string, string>> Rows(string relativePath) => SampleData.Read(Path.Combine(Root, relativePath));

    public static string RepositoryRoot => RepoRoot();

    /// <summary>
    /// The spec of this copy of retail.cdpproj as the build resolves it; <paramref name="change"/> edits its
    /// items and properties first, for tests that need a variant of the sample.
    /// </summary>
    public PipelineSpec Spec(Action<List<RawItem>, Dictionary<string, RawProperty>>? change = null)
    {
        var raw = CdpprojFile.Read(ProjectFile);
        var properties = new Dictionary<string, RawProperty>(raw.Properties, StringComparer.OrdinalIgnoreCase);
        var items = raw.Items.ToList();
        change?.Invoke(items, properties);

        var result = PipelineSpecReader.Read(raw with { Properties = properties, Items = items, DeclaredProperties = [.. properties.Values], DeclaredItems = items }, () => null);
        Assert.That(result.Spec, Is.Not.Null, () => string.Join("\n", result.Diagnostics));
        return result.Spec!;
    }

    public LocalBackend Backend(PipelineSpec spec) => new(spec.Settings.WarehouseDir, spec.Settings.ProjectDirectory, Log, spec.Settings.Client);

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
            var relative = Path.GetRelativePath(from, file).Replace('\\', '/');
            if (relative.Split('/')[0] is "obj" or "bin" or "warehouse") continue;
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;
using CdpSdk.Core.State;
using CdpSdk.Local;

namespace CdpSdk.Generation.Tests;

/// <summary>The generated projects run on the Local target, and Generate refuses a project Digdag would refuse.</summary>
public sealed class LocalRunTests
{
    string _dir = null!;

    [SetUp] public void SetUp() => _dir = Path.Combine(Path.GetTempPath(), "cdp-generation-run", Guid.NewGuid().ToString("N"));

    [TearDown] public void TearDown() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    [Test]
    public async Task TheSampleRunsEndToEndWithTheUsersTransformAndTheEnrichmentSql()
    {
        var sample = RetailSpecs.For("local");
        var spec = sample with { Settings = sample.Settings with { WarehouseDir = Path.Combine(_dir, "warehouse"), GeneratedDir = Path.Combine(_dir, "gen") } };
        var log = new MemoryLog();
        using var backend = new LocalBackend(spec.Settings.WarehouseDir, spec.Settings.ProjectDirectory, log, spec.Settings.Client);
        foreach (var phase in PhaseOrder.All)
        {
            var project = WorkflowGenerator.Generate(spec, phase);
            var dir = Path.Combine(spec.Settings.GeneratedDir, phase.FolderName());
            ProjectWriter.Write(project, dir);
            var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
            foreach (var workflow in project.Workflows)
            {
                var session = await backend.StartAsync(revision, workflow, new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero), CancellationToken.None);
                var status = await backend.GetStatusAsync(session, CancellationToken.None);
                Assert.That(status.State, Is.EqualTo(RunState.Success), () => $"{workflow}: " + string.Join("\n", status.Tasks.Where(t => t.Error is not null).Select(t => $"{t.FullName}: {t.Error}")));
            }
        }

        async Task<long> Count(string db, string sql) => Convert.ToInt64((await backend.QueryAsync(db, sql, CancellationToken.None)).Scalar);
        // The sample's generated data: one staged row per distinct key over a source's files.
        long Distinct(params string[] files) => files.SelectMany(f => File.ReadLines(Path.Combine(RetailSpecs.SampleDir, "data", f)).Skip(1)).Select(l => l.Split(',')[0]).Distinct().Count();
        Assert.Multiple(async () =>
        {
            // The user's SELECT added has_email to every row the cleaning produced.
            Assert.That(await Count("retail_stg", "SELECT count(*) FROM web_signups WHERE has_email = 1"), Is.EqualTo(await Count("retail_stg", "SELECT count(cleaned_email) FROM web_signups")));
            Assert.That(await Count("retail_stg", "SELECT count(*) FROM web_signups"), Is.EqualTo(Distinct("web/signups.csv")));
            // Prep tables and unif_input, as TD's plugin leaves them.
            Assert.That(await Count("retail_stg", "SELECT count(DISTINCT source) FROM unif_input"), Is.EqualTo(4));
            Assert.That(await Count("retail_stg", "SELECT count(*) FROM pos_members_prep WHERE email IS NULL AND phone IS NULL"), Is.Zero);
            // enrich_runner rewrote the enriched tables from the lookup: same rows, every keyed row with an id.
            Assert.That(await Count("cdp_unification_customer_360", "SELECT count(*) FROM enriched_shopify_customers"), Is.EqualTo(Distinct("shopify/customers_history.csv", "shopify/customers.csv")));
            Assert.That(await Count("cdp_unification_customer_360", "SELECT count(*) FROM enriched_shopify_customers WHERE td_id IS NULL"), Is.Zero, "every customer has a valid email or phone");
            Assert.That(await Count("cdp_unification_customer_360", "SELECT count(*) FROM enriched_web_signups WHERE has_email = 1 AND td_id IS NULL " +
                "AND cleaned_email LIKE '%@%' AND cleaned_email NOT IN ('test@example.com', 'none@none.com')"), Is.Zero, "every valid email has an id");
        });
    }

    [Test]
    public async Task GenerateFailsWithTheFileAndLineOfAPushRuleViolation()
    {
        // 400 objects in one source: the incremental workflow has 1 + 1 + 400 × 3 tasks, more than TD runs in one attempt.
        var spec = RetailSpecs.For("presto", (items, _) =>
        {
            for (var i = 0; i < 400; i++)
                items.Add(new RawItem("CdpObject", $"o{i:000}", new Dictionary<string, string> { ["Source"] = "web", ["Location"] = $"o{i}" }, new SourceLocation("x")));
        });
        spec = spec with { Settings = spec.Settings with { GeneratedDir = Path.Combine(_dir, "gen") } };
        var log = new MemoryLog();
        var ctx = new StepContext(spec, Phase.Ingestion, "hash", new StateStore(Path.Combine(_dir, "state.json")), () => throw new InvalidOperationException("no backend at Generate"), log, CancellationToken.None);

        var e = Assert.ThrowsAsync<CdpException>(() => PhaseRunner.RunAsync(ctx, Step.Generate));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP1027"));
        Assert.That(e.Diagnostic.Location.File, Is.EqualTo(Path.Combine(_dir, "gen", "ingestion", "web_ingest_inc.dig")));
        Assert.That(e.Diagnostic.Location.Line, Is.EqualTo(1));
        Assert.That(File.Exists(e.Diagnostic.Location.File), Is.True, "the file is on disk for the user to open");
        await Task.CompletedTask;
    }
}

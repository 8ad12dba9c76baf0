using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;

namespace CdpSdk.Local.Tests;

/// <summary>
/// The final report of the retail sample run through the phase runner: its content against the warehouse,
/// a partial report after a failed phase, and the HTML as headless Chromium renders it.
/// </summary>
[NonParallelizable]
public sealed class ReportTests
{
    RetailSample _sample = null!;
    PipelineSpec _spec = null!;
    ReportWriter.Written _report = null!;

    [OneTimeSetUp]
    public async Task RunThePipelineAndWriteTheReport()
    {
        _sample = new RetailSample();
        // The sample's own checks, and one warning that fails on its data.
        _spec = _sample.Spec((items, _) =>
            items.Add(QualityGateTests.CheckItem("customer_emails_complete", "Rule=completeness", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email", "Min=100", "Severity=warn")));
        var harness = new QualityGateTests.Harness(_sample, _spec);
        foreach (var phase in PhaseOrder.All) await harness.RunPhaseAsync(phase);
        using var backend = _sample.Backend(_spec);
        _report = await ReportWriter.WriteAsync(_spec, harness.State.Load(), _sample.ProjectFile, Path.GetDirectoryName(harness.State.Path)!, backend, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void TearDown() => _sample.Dispose();

    [Test]
    public void ReportIsWrittenToTheReportDirectory()
    {
        Assert.That(_report.Html, Is.EqualTo(Path.Combine(_sample.Root, "bin", "cdp", "report.html")));
        Assert.That(File.Exists(_report.Markdown), Is.True);
    }

    [Test]
    public async Task UnificationFiguresMatchTheWarehouse()
    {
        using var backend = _sample.Backend(_spec);
        const string db = "cdp_unification_customer_360";
        var profiles = await RetailSample.Count(backend, db, """
            SELECT count(DISTINCT td_id) FROM (SELECT td_id FROM enriched_shopify_customers UNION ALL SELECT td_id FROM enriched_shopify_orders
            UNION ALL SELECT td_id FROM enriched_pos_members UNION ALL SELECT td_id FROM enriched_web_signups)
            """);
        var u = _report.Data.Unifications.Single();
        // One enriched row per hist-union row: per key over the history and increment files.
        long Keys(string key, params string[] files) => SampleData.DistinctKeys(files.SelectMany(f => _sample.Rows(f)), key);
        var records = Keys("id", "data/shopify/customers_history.csv", "data/shopify/customers.csv") + Keys("id", "data/shopify/orders_history.csv", "data/shopify/orders.csv")
            + Keys("member_id", "data/pos/members.csv") + Keys("event_id", "data/web/signups.csv");
        Assert.Multiple(() =>
        {
            Assert.That(u.Profiles, Is.EqualTo(profiles));
            Assert.That(u.Records, Is.EqualTo(records));
            Assert.That(u.Coverage, Is.GreaterThanOrEqualTo(90));
            Assert.That(u.ResolutionRate, Is.EqualTo(100.0 * (1 - (double)profiles / u.RecordsWithId)).Within(1e-9));
            Assert.That(u.KeyStats.Columns, Does.Contain("from_table").And.Not.Contain("time"), "the run's time is shown as a date, not an epoch column");
            Assert.That(u.KeyStats.Rows.Select(r => r[0]), Does.Contain("*"));
            Assert.That(u.KeyStats.Rows.Count(r => r[0] == "*"), Is.EqualTo(1), "the latest run's rows only");
            Assert.That(u.KeyStatsTime, Is.Not.Null);
            Assert.That(u.SourceKeyStats.Columns, Does.Contain("key_type").And.Contain("valid_values"));
            Assert.That(u.GraphRows, Is.GreaterThan(0));
            Assert.That(u.MasterTables.Select(m => (m.Table, m.Rows)), Is.EqualTo(new[] { ("customer_360_master", profiles) }), "one master row per profile");
            Assert.That(u.KeyValuesPerProfile, Is.EqualTo((double)u.KeyValues / u.Profiles).Within(1e-9));
        });
    }

    [Test]
    public void MarkdownHasEverySection()
    {
        var md = File.ReadAllText(_report.Markdown);
        Assert.That(md, Does.Contain("**✓ Succeeded**").And.Contain(_report.Data.PipelineId));
        foreach (var section in new[] { "## Phases", "## Data quality", "## Unification", "## Lineage", "## Files generated", "## Data dictionary", "## Next steps" })
            Assert.That(md, Does.Contain(section));
        Assert.That(md, Does.Contain("| Staging | — | Succeeded |"), "a report of the state (no build start) says no build outcome");
        // Customer 1029 signed up with a phone only (the sample generator keeps that one defect).
        var customers = SampleData.DistinctKeys(_sample.Rows("data/shopify/customers_history.csv").Concat(_sample.Rows("data/shopify/customers.csv")), "id");
        var percent = (100.0 * (customers - 1) / customers).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(md, Does.Contain($"| customer_emails_complete | Staging | completeness | retail_stg.shopify_customers.cleaned_email | warn | ⚠ warn | 1 | {_report.Data.RunOf(_report.Data.Checks.Single(c => c.Name == "customer_emails_complete"))} | cleaned_email is filled in {customers - 1} of {customers} rows ({percent}%, at least 100% required) |"));
        Assert.That(md, Does.Contain("| retail_stg.shopify_customers | cleaned_email | varchar | Email email, trimmed and lower-cased | retail_src.shopify_customers_hist_union.email |"));
        Assert.That(md, Does.Contain("| cdp_unification_customer_360.enriched_pos_members | td_id | varchar | Unified profile id (persistent_id)"));
        Assert.That(md, Does.Contain("dotnet build retail.cdpproj -t:CdpPipeline -nologo"));
        Assert.That(md, Does.Contain("Master table `customer_360_master`").And.Contain("td_id_source_key_stats").And.Contain("Key values per profile"));
        Assert.That(md, Does.Not.Contain(_sample.Root + "/"), "paths are relative to the project, so the report can be shared");
    }

    [Test]
    public void LineageRunsFromEverySourceToEveryEnrichedTable()
    {
        var lineage = _report.Data.Lineage;
        Assert.That(lineage.Nodes.Count(n => n.Kind == LineageKind.Source), Is.EqualTo(4));
        Assert.That(lineage.Nodes.Count(n => n.Kind == LineageKind.Enriched), Is.EqualTo(4));
        foreach (var enriched in lineage.Nodes.Where(n => n.Kind == LineageKind.Enriched))
        {
            // Walk upstream: every enriched table reaches at least one source.
            var frontier = new HashSet<string> { enriched.Id };
            for (var i = 0; i < 6; i++) frontier.UnionWith(lineage.Edges.Where(e => frontier.Contains(e.To)).Select(e => e.From));
            Assert.That(frontier.Any(id => id.StartsWith("src:", StringComparison.Ordinal)), Is.True, enriched.Label);
        }
    }

    [Test]
    public async Task AFailedPhaseStillGivesAPartialReport()
    {
        using var sample = new RetailSample();
        var spec = sample.Spec((items, _) => items.Add(QualityGateTests.CheckItem("customer_email_present", "Rule=not_null", "Phase=Staging", "Table=shopify_customers", "Column=cleaned_email")));
        var harness = new QualityGateTests.Harness(sample, spec);
        await harness.RunPhaseAsync(Phase.Ingestion);
        await harness.RunPhaseAsync(Phase.HistUnion);
        Assert.ThrowsAsync<Core.Diagnostics.CdpException>(() => harness.RunPhaseAsync(Phase.Staging));

        using var backend = sample.Backend(spec);
        var report = await ReportWriter.WriteAsync(spec, harness.State.Load(), sample.ProjectFile, Path.GetDirectoryName(harness.State.Path)!, backend, CancellationToken.None);
        var md = File.ReadAllText(report.Markdown);
        Assert.That(md, Does.Contain("**✗ Failed at Staging (Validate)**"));
        Assert.That(md, Does.Contain("| Unification | — | NotStarted |"));
        Assert.That(md, Does.Contain("> **Staging failed at Validate:** Staging: check customer_email_present (not_null, error) failed"));
        Assert.That(md, Does.Contain("Unification has not completed yet."));
        Assert.That(report.Data.NextSteps[0].Title, Does.Contain("resumes at Staging"));
        Assert.That(report.Data.Lineage.Nodes.Where(n => n.Kind == LineageKind.Staging).Select(n => n.Status), Is.All.EqualTo("Failed"));
        Assert.That(File.ReadAllText(report.Html), Does.Contain("class=\"alert\""));
    }

    [Test]
    public void HtmlIsSelfContained()
    {
        var html = File.ReadAllText(_report.Html);
        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("src=\"http").And.Not.Contain("url(http"));
        Assert.That(html, Does.Contain("<svg id=\"lineage-diagram\""));
    }

    [Test]
    public void HtmlRendersInHeadlessChromiumWithTheLineageAndThePhaseTableVisible()
    {
        Chromium.EnsureInstalled();
        var dom = Chromium.DumpDom(_report.Html);
        Assert.That(dom, Does.Contain("<table id=\"phase-table\""), "the phase table is in the rendered DOM");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(dom, "<tr class=\"phase succeeded\"").Count, Is.EqualTo(4));
        Assert.That(dom, Does.Contain("<svg id=\"lineage-diagram\""));
        Assert.That(System.Text.RegularExpressions.Regex.Matches(dom, "<g class=\"node ").Count, Is.EqualTo(_report.Data.Lineage.Nodes.Count));

        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-screenshot.png");
        Chromium.Screenshot(_report.Html, png, 1400, 1400);
        TestContext.AddTestAttachment(png, "the rendered report");
        var image = Png.Read(png);
        Assert.That((image.Width, image.Height), Is.EqualTo((1400, 1400)));

        var colours = new Dictionary<(byte, byte, byte), int>();
        for (var y = 0; y < image.Height; y += 2)
            for (var x = 0; x < image.Width; x += 2)
                colours[image[x, y]] = colours.GetValueOrDefault(image[x, y]) + 1;
        Assert.That(colours.Count, Is.GreaterThan(50), "the page is not blank");

        // Succeeded lineage boxes have a #059669 border and the unification box a #7c3aed one; both are only drawn in the SVG.
        Assert.That(Rows(image, (5, 150, 105)), Is.GreaterThan(20), "lineage table boxes are visible");
        Assert.That(Rows(image, (124, 58, 237)), Is.GreaterThan(5), "the unification box is visible");
        // The phase table's status pills (#d1fae5): four rows of them, the first above the lineage.
        var pillRows = Bands(image, (209, 250, 229));
        Assert.That(pillRows.Count, Is.GreaterThanOrEqualTo(5), "the header badge and the four phase rows");
        Assert.That(pillRows[4], Is.LessThan(FirstRow(image, (124, 58, 237))), "the phase table comes before the lineage");
    }

    /// <summary>How many screenshot rows contain the colour.</summary>
    static int Rows(Png image, (byte, byte, byte) colour) =>
        Enumerable.Range(0, image.Height).Count(y => Enumerable.Range(0, image.Width).Any(x => image[x, y] == colour));

    static int FirstRow(Png image, (byte, byte, byte) colour) =>
        Enumerable.Range(0, image.Height).First(y => Enumerable.Range(0, image.Width).Any(x => image[x, y] == colour));

    /// <summary>The first row of each vertical band of rows containing the colour at least 20 times.</summary>
    static List<int> Bands(Png image, (byte, byte, byte) colour)
    {
        var bands = new List<int>();
        var inside = false;
        for (var y = 0; y < image.Height; y++)
        {
            var here = Enumerable.Range(0, image.Width).Count(x => image[x, y] == colour) >= 20;
            if (here && !inside) bands.Add(y);
            inside = here;
        }
        return bands;
    }
}

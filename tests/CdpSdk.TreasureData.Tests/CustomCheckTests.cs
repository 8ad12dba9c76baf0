using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Local.Presto;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// A custom check (CdpCheck Sql=…) on the TreasureData target: its query goes to TD as Presto jobs (the count
/// and the sample), and a seeded defect in the staging table stops the pipeline at Staging's Validate.
/// </summary>
public sealed class CustomCheckTests : FakeTdTest
{
    const string Query = "-- customers whose email has no @\nSELECT id, email FROM acme_stg.shop_customers WHERE email NOT LIKE '%@%'\n";

    [Test]
    public async Task CustomCheckRunsAsPrestoJobsAndCatchesTheSeededDefect()
    {
        Directory.CreateDirectory(Path.Combine(_project.Root, "checks"));
        File.WriteAllText(Path.Combine(_project.Root, "checks", "emails_have_at.sql"), Query);
        _project.ExtraItems.Add(new RawItem("CdpCheck", "emails_have_at", new Dictionary<string, string> { ["Phase"] = "Staging", ["Sql"] = "checks/emails_have_at.sql" },
            new SourceLocation(_project.ProjectFile, 12, 5)));
        var spec = _project.Spec();

        // TD's Presto, for the jobs that hold the check's query: the staging table with one bad email, on the Local engine's Presto layer.
        using var presto = PrestoEngine.Open();
        presto.Execute("CREATE SCHEMA acme_stg");
        presto.Execute("CREATE TABLE acme_stg.shop_customers AS SELECT * FROM (VALUES (1, 'a@example.com'), (2, 'no-email-here')) t(id, email)");
        _server.QueryAnswer = (_, sql) => sql.Contains("NOT LIKE '%@%'", StringComparison.Ordinal) ? presto.Query(sql) : null;

        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion }) await _project.RunPhaseAsync(spec, phase);
        var error = Assert.ThrowsAsync<CdpException>(() => _project.RunPhaseAsync(spec, Phase.Staging));

        Assert.That(error!.Diagnostic.Code, Is.EqualTo("CDP5010"));
        Assert.That(error.Diagnostic.Location.Line, Is.EqualTo(12), "at the CdpCheck item");
        Assert.That(error.Message, Does.Contain("1 row(s) returned by checks/emails_have_at.sql").And.Contain("no-email-here"));
        lock (_server.Gate)
        {
            var jobs = _server.Jobs.Where(j => j.Query.Contains("NOT LIKE", StringComparison.Ordinal)).ToList();
            Assert.That(jobs.Select(j => j.Database), Is.All.EqualTo("acme_stg"), "run in the phase's database");
            Assert.That(jobs.Select(j => j.Query), Has.Some.StartWith("SELECT COUNT(*) FROM (").And.Some.Contains("LIMIT 5"), "counted, then sampled, as Presto jobs");
        }
        Assert.That(_project.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Failed));
    }
}

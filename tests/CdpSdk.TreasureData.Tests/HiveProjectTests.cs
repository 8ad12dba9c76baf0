using System.Text;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Local.Presto;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// CdpSqlEngine=hive on TD: the workflows are Hive, the checks CdpSdk issues itself stay Presto jobs (TD runs every
/// validation query on Presto, whatever the workflows' engine), so a check never reaches Presto in Hive's quoting.
/// </summary>
public sealed class HiveProjectTests : FakeTdTest
{
    [Test]
    public async Task AHiveProjectDeploysHiveWorkflowsAndValidatesWithPrestoQueries()
    {
        _project.Properties["CdpSqlEngine"] = "hive";
        _project.ExtraItems.Add(new RawItem("CdpCheck", "emails_present", new Dictionary<string, string>
        {
            ["Phase"] = "Staging", ["Table"] = "shop_customers", ["Column"] = "cleaned_email", ["Rule"] = "not_null",
        }, new SourceLocation(_project.ProjectFile, 12, 5)));
        var spec = _project.Spec();
        // TD's Presto, for the check's jobs: the staging table on the Local engine's Presto layer, which refuses Hive's backticks.
        using var presto = PrestoEngine.Open();
        presto.Execute("CREATE SCHEMA acme_stg");
        presto.Execute("CREATE TABLE acme_stg.shop_customers AS SELECT * FROM (VALUES (1, 'a@example.com')) t(id, cleaned_email)");
        _server.QueryAnswer = (_, sql) => sql.Contains("cleaned_email", StringComparison.Ordinal) ? presto.Query(sql) : null;

        foreach (var phase in new[] { Phase.Ingestion, Phase.HistUnion, Phase.Staging }) await _project.RunPhaseAsync(spec, phase);

        Assert.That(_project.State.Load().Phase(Phase.Staging).Status, Is.EqualTo(PhaseStatus.Succeeded));
        lock (_server.Gate)
        {
            var staging = _server.Projects.Single(p => p.Name == spec.ProjectName(Phase.Staging)).Latest.Files;
            Assert.That(Encoding.UTF8.GetString(staging["transform_shop.dig"]), Does.Contain("engine: hive"));
            Assert.That(Encoding.UTF8.GetString(staging["queries/shop_customers_transform.sql"]), Does.Contain("`acme_src`.`shop_customers_hist_union`"));
            var checks = _server.Jobs.Where(j => j.Query.Contains("cleaned_email", StringComparison.Ordinal)).Select(j => j.Query).ToList();
            Assert.That(checks, Is.Not.Empty, "the check ran as query jobs");
            Assert.That(checks, Has.All.Contains("\"cleaned_email\"").And.All.Not.Contains("`"), "Presto's quoting, as the Presto job needs");
        }
    }
}

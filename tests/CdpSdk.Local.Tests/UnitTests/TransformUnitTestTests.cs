using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Testing;
using CdpSdk.Core.Validation;
using CdpSdk.Local.Testing;
using CdpSdk.Local.Unification;

namespace CdpSdk.Local.Tests.UnitTests;

/// <summary>
/// CdpTest items on the retail sample, run in scratch databases: the web_signups staging transform (the
/// generated cleaning plus sql/web_signups.sql, in Presto on DuckDB) and the unification's enriched table
/// (the Local engine on a throw-away warehouse); a pass, and a failure with a row diff, for each.
/// </summary>
public sealed class TransformUnitTestTests : RetailSampleTest
{
    const string Signups = """
        event_id,email,td_client_id,event_time
        E1, Ann@Example.com ,c1,2024-02-26T17:46:00Z
        E2,,c2,2024-01-24T13:56:00Z
        """;

    [Test]
    public void StagingTransformGivesTheExpectedRows()
    {
        var (result, problems) = Run(Test("signups_have_email", "Table=web_signups", $"Given={Signups}", """
            Expect=event_id,cleaned_email,has_email,standardized_event_time
            E1,ann@example.com,1,2024-02-26T17:46:00Z
            E2,,0,2024-01-24T13:56:00Z
            """));
        Assert.That(problems, Is.Empty);
        Assert.That(result.Status, Is.EqualTo(CheckStatus.Pass), result.Message);
        Assert.That(result.Sql, Does.Contain("WITH cleaned AS").And.Contain("TD_TIME_FORMAT"), "the Presto rendering Generate writes for TD");
    }

    [Test]
    public void StagingTransformWithAWrongExpectationShowsTheChangedColumn()
    {
        var (result, problems) = Run(Test("signups_have_email", "Table=web_signups", $"Given={Signups}", """
            Expect=event_id,has_email
            E1,1
            E2,1
            E3,0
            """));
        Assert.That(result.Status, Is.EqualTo(CheckStatus.Fail));
        Assert.That(result.Differences.Select(d => d.Kind), Is.EquivalentTo(new[] { "changed", "missing" }));
        var changed = result.Differences.Single(d => d.Kind == "changed");
        Assert.That(changed.Changes, Is.EqualTo(new[] { new ColumnChange("has_email", "1", "0") }));
        Assert.That(problems.Single().Code, Is.EqualTo("CDP5300"));
        Assert.That(problems.Single().Message, Does.Contain("changed event_id=E2").And.Contain("has_email expected 1, got 0").And.Contain("missing {event_id=E3, has_email=0}"));
    }

    [Test]
    public void EnrichedTableGivesRecordsSharingAnEmailOneId()
    {
        var id = IdOf("email", "ann@example.com");
        var (result, problems) = Run(Test("customers_and_signups_unified", "Table=enriched_web_signups", $$"""
            Given=tests/unify_given.yml
            """, $"""
            Expect=event_id,td_id
            E1,{id}
            E2,{IdOf("td_client_id", "c2")}
            """), files: new() { ["tests/unify_given.yml"] = Given("ann@example.com") });
        Assert.That(problems, Is.Empty, () => string.Join("\n", problems));
        Assert.That(result.Status, Is.EqualTo(CheckStatus.Pass), result.Message);
    }

    [Test]
    public void EnrichedTableWithAnInvalidEmailKeepsTheRecordsApartAndTheTestFails()
    {
        // test@example.com is one of the email key's InvalidTexts: it joins nobody, so E1 gets its cookie's id.
        var (result, problems) = Run(Test("customers_and_signups_unified", "Table=enriched_web_signups", "Given=tests/unify_given.yml", $"""
            Expect=event_id,td_id
            E1,{IdOf("email", "test@example.com")}
            """), files: new() { ["tests/unify_given.yml"] = Given("test@example.com") });
        Assert.That(result.Status, Is.EqualTo(CheckStatus.Fail));
        Assert.That(result.Differences.Select(d => d.Kind), Is.EquivalentTo(new[] { "changed", "unexpected" }));
        Assert.That(result.Differences.Single(d => d.Kind == "changed").Changes.Single().Actual, Is.EqualTo(IdOf("td_client_id", "c1")));
        Assert.That(problems.Single().Code, Is.EqualTo("CDP5300"));
    }

    [Test]
    public void TheSamplesOwnTestPassesAndPointsAtItsInlineRowsInTheProjectFile()
    {
        var spec = Sample.Spec();
        var test = spec.Tests.Single(t => t.Name == "web_signups_flags_email");
        var lines = File.ReadAllLines(Sample.ProjectFile);
        Assert.That(lines[test.Expect.At.Line - 1].Trim(), Is.EqualTo("event_id,cleaned_email,has_email"), "the header's line in retail.cdpproj");
        Assert.That(lines[test.Expect.Rows[1].Line - 1].Trim(), Is.EqualTo("E2,,0"));
        var (result, problems) = new UnitTestRunner(spec, new ScratchEngine(), TimeProvider.System).Run(test, CancellationToken.None);
        Assert.That((result.Status, problems.Count), Is.EqualTo((CheckStatus.Pass, 0)), result.Message);
    }

    [Test]
    public void HistUnionKeepsTheLatestRowPerKeyAcrossItsTwoInputs()
    {
        const string given = """
            shopify_customers_hist:
              - {id: 1, email: old@example.com, updated_at: '2023-01-01 00:00:00'}
              - {id: 2, email: two@example.com, updated_at: '2023-05-01 00:00:00'}
            shopify_customers:
              - {id: 1, email: new@example.com, updated_at: '2024-01-01 00:00:00'}
            """;
        var (result, problems) = Run(Test("latest_customer_wins", "Table=shopify_customers_hist_union", "Given=tests/hist.yml", """
            Expect=id,email
            1,new@example.com
            2,two@example.com
            """), files: new() { ["tests/hist.yml"] = given });
        Assert.That((result.Status, problems.Count), Is.EqualTo((CheckStatus.Pass, 0)), result.Message);
        Assert.That(result.Sql, Does.Contain("NOT EXISTS"), "the Presto rendering TD runs, not the Local LEFT JOIN form");
    }

    [Test]
    public void MasterTableTakesTheBestEmailOfTheMergedRecords()
    {
        const string given = """
            shopify_customers:
              - {id: 1001, cleaned_email: ann@example.com, standardized_phone: '5550001111', updated_at: '2024-01-01 00:00:00'}
            pos_members:
              - {member_id: M1, cleaned_email: ann@example.com, standardized_mobile: '5550002222', updated_at: '2024-02-01 00:00:00'}
            """;
        var (result, problems) = Run(Test("one_person_one_email", "Table=customer_360_master", "Given=tests/master.yml", $"""
            Expect=td_id,email
            {IdOf("email", "ann@example.com")},ann@example.com
            """), files: new() { ["tests/master.yml"] = given });
        Assert.That((result.Status, problems.Count), Is.EqualTo((CheckStatus.Pass, 0)), result.Message + string.Join("\n", problems));
    }

    static string Given(string email) => $"""
        shopify_customers:
          - {"{"}id: 1001, cleaned_email: '{email}', updated_at: '2024-01-01 00:00:00'{"}"}
        web_signups:
          - {"{"}event_id: E1, cleaned_email: '{email}', td_client_id: c1{"}"}
          - {"{"}event_id: E2, cleaned_email: null, td_client_id: c2{"}"}
        """;

    static string IdOf(string key, string value) => UnificationEngine.IdValue("customer_360", "td_id", (key, value));

    (UnitTestResult Result, IReadOnlyList<Diagnostic> Problems) Run(RawItem item, Dictionary<string, string>? files = null)
    {
        foreach (var (path, text) in files ?? [])
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Sample.Root, path))!);
            File.WriteAllText(Path.Combine(Sample.Root, path), text);
        }
        var spec = Sample.Spec((items, _) => items.Add(item));
        var runner = new UnitTestRunner(spec, new ScratchEngine(), TimeProvider.System);
        return runner.Run(spec.Tests.Single(t => t.Name == item.Identity), CancellationToken.None);
    }

    internal static RawItem Test(string name, params string[] metadata) =>
        new("CdpTest", name, metadata.Select(m => m.Split('=', 2)).ToDictionary(m => m[0], m => m[1], StringComparer.OrdinalIgnoreCase),
            new SourceLocation("retail.cdpproj", 99, 5));
}

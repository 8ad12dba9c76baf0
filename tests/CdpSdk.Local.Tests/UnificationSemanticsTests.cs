using CdpSdk.Core.Backend;
using CdpSdk.Local.Unification;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Tests;

/// <summary>TD's unification semantics beyond transitive merging: do_not_merge_key, id stability, master tables, stats, iterations.</summary>
public sealed class UnificationSemanticsTests
{
    string _dir = null!;
    DuckDbWarehouse _warehouse = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cdp-unify-semantics", Guid.NewGuid().ToString("N"));
        _warehouse = new DuckDbWarehouse(_dir, "test");
        _warehouse.CreateDatabase("stg");
    }

    [TearDown]
    public void TearDown()
    {
        _warehouse.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    void Exec(string sql) => _warehouse.Query("stg", sql);

    List<object?[]> Rows(string sql) => _warehouse.Query("cdp_unification_people", sql).Rows.ToList();

    static UnifyConfig Config(string idSection, string extra = "") => UnifyConfig.Parse(Yaml($"""
        name: people
        keys:
          - name: cookie
          - name: email
            valid_regexp: '.*@.*'
          - name: phone
        tables:
          - database: stg
            table: events
            key_columns: [{"{column: cookie, key: cookie}"}, {"{column: email, key: email}"}, {"{column: phone, key: phone}"}]
        {idSection}
        {extra}
        """));

    static OrderedDictionary<string, object?> Yaml(string yaml) =>
        Runner.DigdagYaml.Load(new Runner.ProjectFiles(new Dictionary<string, string> { ["u.yml"] = yaml }), "u.yml");

    Dictionary<int, string?> IdsByRow() => Rows("SELECT n, pid FROM enriched_events").ToDictionary(r => Convert.ToInt32(r[0]), r => r[1] as string);

    [Test]
    public void ADoNotMergeKeyKeepsTwoOfItsValuesInSeparateIds()
    {
        // Two cookies share an email (a family computer); with cookie as do_not_merge_key they stay two people.
        Exec("""
            CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT);
            INSERT INTO stg.events VALUES (1, 'c1', 'home@x.com', NULL), (2, 'c2', 'home@x.com', NULL), (3, 'c2', NULL, '555'), (4, NULL, 'home@x.com', NULL);
            """);
        var merged = new UnificationEngine(_warehouse).Run(Config("""
            canonical_ids:
              - name: pid
                merge_by_keys: [cookie, email, phone]
            """), fullRefresh: true, time: 1);
        var together = IdsByRow();
        Assert.That(together.Values.Distinct().Count(), Is.EqualTo(1), "without do_not_merge_key everything joins through the email");

        var separate = new UnificationEngine(_warehouse).Run(Config("""
            canonical_ids:
              - name: pid
                merge_by_keys: [cookie, email, phone]
                do_not_merge_key: cookie
            """), fullRefresh: true, time: 2);
        var ids = IdsByRow();
        Assert.Multiple(() =>
        {
            Assert.That(ids[1], Is.Not.EqualTo(ids[2]), "c1 and c2 never share an id");
            Assert.That(ids[3], Is.EqualTo(ids[2]), "c2's phone joins c2");
            Assert.That(ids[4], Is.EqualTo(ids[1]), "the shared email stays with the cookie seen first");
            Assert.That(separate.Ids.Single().RefusedJoins, Is.EqualTo(1));
            Assert.That(merged.Ids.Single().RefusedJoins, Is.Zero);
        });
    }

    [Test]
    public void ADoNotMergeKeyMustBeTheFirstMergeKey() =>
        Assert.That(() => Config("""
            canonical_ids:
              - name: pid
                merge_by_keys: [email, cookie]
                do_not_merge_key: cookie
            """), Throws.TypeOf<Core.Diagnostics.CdpException>().With.Message.Contains("first of its merge_by_keys"));

    [Test]
    public void PersistentIdsStayWhenAClusterGrowsButCanonicalIdsFollowTheSmallestValue()
    {
        Exec("""
            CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT);
            INSERT INTO stg.events VALUES (1, 'zz', 'm@x.com', NULL);
            """);
        var persistent = Config("persistent_ids:\n  - name: pid\n    merge_by_keys: [cookie, email]");
        var canonical = Config("canonical_ids:\n  - name: pid\n    merge_by_keys: [cookie, email]");
        var engine = new UnificationEngine(_warehouse);
        engine.Run(persistent, fullRefresh: false, time: 1);
        var before = IdsByRow()[1];

        // The next increment brings a smaller cookie for the same email.
        Exec("INSERT INTO stg.events VALUES (2, 'aa', 'm@x.com', NULL)");
        engine.Run(persistent, fullRefresh: false, time: 2);
        var after = IdsByRow();
        Assert.That(after[1], Is.EqualTo(before));
        Assert.That(after[2], Is.EqualTo(before));

        engine.Run(canonical, fullRefresh: true, time: 3);
        var canonicalIds = IdsByRow();
        Assert.That(canonicalIds[1], Is.EqualTo(canonicalIds[2]));
        Assert.That(canonicalIds[1], Is.EqualTo(UnificationEngine.IdValue("people", "pid", ("cookie", "aa"))), "the canonical leader is the smallest value");
    }

    [Test]
    public void GraphAndLookupHoldEveryKeyValueWithItsLeaderAndStatsAreAppendedPerRun()
    {
        Exec("""
            CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT);
            INSERT INTO stg.events VALUES (1, 'c1', 'a@x.com', NULL), (2, NULL, 'a@x.com', '555'), (3, 'c9', 'not-an-email', NULL);
            """);
        var config = Config("persistent_ids:\n  - name: pid\n    merge_by_keys: [cookie, email, phone]");
        var engine = new UnificationEngine(_warehouse);
        engine.Run(config, fullRefresh: false, time: 100);
        engine.Run(config, fullRefresh: false, time: 200);

        var graph = Rows("SELECT follower_ns, follower_id, leader_ns, leader_id FROM pid_graph ORDER BY rowid");
        Assert.That(graph.Select(r => string.Join(",", r)), Is.EqualTo(new[]
        {
            "cookie,c1,cookie,c1", "email,a@x.com,cookie,c1", "phone,555,cookie,c1", "cookie,c9,cookie,c9",
        }));
        Assert.That(Rows("SELECT count(*) FROM pid_lookup").Single()[0], Is.EqualTo(4L));
        var stats = Rows("SELECT time, from_table, total_rows, rows_with_id, total_distinct FROM pid_result_key_stats ORDER BY time, from_table");
        Assert.That(stats.Select(r => string.Join(",", r)), Is.EqualTo(new[] { "100,*,3,3,2", "100,events,3,3,2", "200,*,3,3,2", "200,events,3,3,2" }));
        var sourceStats = Rows("SELECT key_type, total_rows, valid_values, distinct_values FROM pid_source_key_stats WHERE time = 200 ORDER BY key_type");
        Assert.That(sourceStats.Select(r => string.Join(",", r)), Is.EqualTo(new[] { "cookie,3,2,2", "email,3,2,1", "phone,3,1,1" }));
    }

    [Test]
    public void MasterTablesPickAttributesByPriorityThenOrderAndKeepArrays()
    {
        Exec("""
            CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT, name TEXT, city TEXT, updated BIGINT);
            INSERT INTO stg.events VALUES
              (1, 'c1', 'a@x.com', NULL, 'Ann', 'Oslo', 10),
              (2, 'c1', NULL, NULL, 'Annie', 'Bergen', 30),
              (3, 'c1', NULL, NULL, NULL, 'Tromsø', 20),
              (4, 'c2', NULL, NULL, 'Bob', NULL, 5);
            """);
        var config = Config("persistent_ids:\n  - name: pid\n    merge_by_keys: [cookie, email]", """
            master_tables:
              - name: people_master
                persistent_id: pid
                attributes:
                  - name: best_email
                    valid_regexp: '.*@.*'
                    source_columns:
                      - {table: events, column: email, priority: 1}
                  - name: latest_name
                    source_columns:
                      - {table: events, column: name, priority: 1, order: last, order_by: updated}
                  - name: cities
                    array_elements: 2
                    source_columns:
                      - {table: events, column: city, priority: 1, order: first, order_by: updated}
            """);
        new UnificationEngine(_warehouse).Run(config, fullRefresh: false, time: 1);

        var rows = Rows("SELECT pid, best_email, latest_name, cities FROM people_master").ToDictionary(r => (string)r[0]!);
        var ids = IdsByRow();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[ids[1]!].Skip(1), Is.EqualTo(new object?[] { "a@x.com", "Annie", "[\"Oslo\",\"Troms\\u00F8\"]" }));
        Assert.That(rows[ids[4]!].Skip(1), Is.EqualTo(new object?[] { null, "Bob", null }));
    }

    [Test]
    public void TheIterationsTdNeedsGrowWithTheLengthOfAChainOfSharedKeys()
    {
        // e1-p1, p1-e2, e2-p2 … : each record links the next. TD's loop replaces leaders and jumps one pointer
        // per loop (TdGraphLoop): worked by hand for 3 links, the leaders are e1,p1,e2,p2,e3,p3 after loop 0,
        // e1,p1,e2,p2,e3 after loop 1, e1,p1,e2 after loop 2 and e1 alone after loop 3.
        Exec("CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT)");
        for (var i = 1; i <= 3; i++)
            Exec($"INSERT INTO stg.events VALUES ({2 * i}, NULL, 'e{i}@x.com', 'p{i}'), ({2 * i + 1}, NULL, 'e{i + 1}@x.com', 'p{i}')");
        Exec("INSERT INTO stg.events VALUES (100, NULL, 'alone@x.com', NULL)");
        var chain = new UnificationEngine(_warehouse).Run(Config("persistent_ids:\n  - name: pid\n    merge_by_keys: [email, phone]\n    merge_iterations: 3"), fullRefresh: true, time: 1);

        Assert.That(chain.Ids.Single().IterationsNeeded, Is.EqualTo(3));
        Assert.That(chain.Ids.Single().Ids, Is.EqualTo(2));

        // Ten times as long: more loops than TD's samples give (5), so CDP5200 warns on such a graph.
        for (var i = 4; i <= 30; i++)
            Exec($"INSERT INTO stg.events VALUES ({2 * i}, NULL, 'e{i}@x.com', 'p{i}'), ({2 * i + 1}, NULL, 'e{i + 1}@x.com', 'p{i}')");
        var longer = new UnificationEngine(_warehouse).Run(Config("persistent_ids:\n  - name: pid\n    merge_by_keys: [email, phone]\n    merge_iterations: 5"), fullRefresh: true, time: 2);
        Assert.That(longer.Ids.Single().IterationsNeeded, Is.GreaterThan(5));
        Assert.That(longer.Ids.Single().Ids, Is.EqualTo(2));
    }

    [Test]
    public async Task AMergeIterationsSettingTooLowForTdIsAWarningWithItsCode()
    {
        Exec("CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT)");
        for (var i = 1; i <= 3; i++)
            Exec($"INSERT INTO stg.events VALUES ({2 * i}, NULL, 'e{i}@x.com', 'p{i}'), ({2 * i + 1}, NULL, 'e{i + 1}@x.com', 'p{i}')");
        var project = Path.Combine(_dir, "project");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "unify.yml"), """
            name: people
            keys: [{name: email}, {name: phone}]
            tables:
              - {database: stg, table: events, key_columns: [{column: email, key: email}, {column: phone, key: phone}]}
            persistent_ids:
              - {name: pid, merge_by_keys: [email, phone], merge_iterations: 2}
            """);
        File.WriteAllText(Path.Combine(project, "u.dig"), """
            +unify:
              http_call>: https://api-cdp.treasuredata.com/unifications/workflow_call
              method: POST
              content_format: json
              content:
                full_refresh: true
                unification:
                  !include : unify.yml
            """);
        var log = new MemoryLog();
        using var backend = new LocalBackend(_dir, _dir, log, "test");
        var revision = await backend.DeployAsync("u", project, CancellationToken.None);
        var session = await backend.StartAsync(revision, "u", DateTimeOffset.UnixEpoch, CancellationToken.None);

        Assert.That((await backend.GetStatusAsync(session, CancellationToken.None)).State, Is.EqualTo(RunState.Success));
        var warning = log.Diagnostics.Single();
        Assert.That(warning.Code, Is.EqualTo("CDP5200"));
        Assert.That(warning.Message, Does.Contain("needs 3 of TD's merge loops, but merge_iterations is 2").And.Contain("UnifyYml file"));
    }

    [Test]
    public void APersistentIdMergedFromTwoOthersJoinsTheirClustersWhereTheyShareAValue()
    {
        // by_email joins rows on email, by_phone on phone; neither alone links row 1 to row 3, the merged id does.
        Exec("""
            CREATE TABLE stg.events (n BIGINT, cookie TEXT, email TEXT, phone TEXT);
            INSERT INTO stg.events VALUES (1, NULL, 'a@x.com', NULL), (2, NULL, 'a@x.com', 'p1'), (3, NULL, NULL, 'p1'), (4, NULL, 'b@x.com', 'p9');
            """);
        var result = new UnificationEngine(_warehouse).Run(Config("""
            persistent_ids:
              - {name: by_email, merge_by_keys: [email]}
              - {name: by_phone, merge_by_keys: [phone]}
              - {name: pid, merge_by_keys: [], merge_by_persistent_ids: [by_email, by_phone]}
            """), fullRefresh: true, time: 1);

        var ids = result.Ids.ToDictionary(i => i.IdName, i => i.Ids);
        Assert.That(ids, Is.EqualTo(new Dictionary<string, int> { ["by_email"] = 2, ["by_phone"] = 2, ["pid"] = 2 }));
        var byRow = IdsByRow();
        Assert.That(byRow[1], Is.EqualTo(byRow[3]), "row 1 and 3 meet through row 2's email and phone");
        Assert.That(byRow[4], Is.Not.EqualTo(byRow[1]));
    }

    [Test]
    public void IdsThatMergeEachOtherAreRefusedWithACode()
    {
        var e = Assert.Throws<CdpSdk.Core.Diagnostics.CdpException>(() => Config("""
            canonical_ids:
              - {name: a, merge_by_keys: [email], merge_by_canonical_ids: [b]}
              - {name: b, merge_by_keys: [phone], merge_by_canonical_ids: [a]}
            """));
        Assert.That(e!.Message, Does.Contain("merge ids that merge a again"));
    }
}

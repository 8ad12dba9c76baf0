using CdpSdk.Local.Unification;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Tests;

/// <summary>The in-process stand-in for TD's unification service, on small hand-made tables.</summary>
public sealed class UnificationEngineTests
{
    string _dir = null!;
    DuckDbWarehouse _warehouse = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "cdp-unify-tests", Guid.NewGuid().ToString("N"));
        _warehouse = new DuckDbWarehouse(_dir, "test");
        _warehouse.CreateDatabase("stg");
        Exec("""
            CREATE TABLE stg.web (email TEXT, visit BIGINT);
            INSERT INTO stg.web VALUES ('ann@x.com', 1), ('bob@y.com', 2), ('nobody', 3), (NULL, 4);
            CREATE TABLE stg.crm (email TEXT, phone TEXT);
            INSERT INTO stg.crm VALUES ('ann@x.com', '5550001111'), ('ann.work@z.com', '5550001111'), ('test@example.com', '5559998888');
            CREATE TABLE stg.pos (email TEXT, phone TEXT);
            INSERT INTO stg.pos VALUES ('ann.work@z.com', NULL), ('carl@q.com', '5559998888');
            """);
    }

    [TearDown]
    public void TearDown()
    {
        _warehouse.Dispose();
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    void Exec(string sql) => _warehouse.Query("stg", sql);

    static UnifyConfig Config(string idSection) => UnifyConfig.Parse(
        YamlTree($"""
            name: people
            keys:
              - name: email
                valid_regexp: '.*@.*'
                invalid_texts: ['', 'test@example.com']
              - name: phone
                valid_regexp: '^[0-9]{"{10}"}$'
            tables:
              - database: stg
                table: web
                key_columns: [{"{column: email, key: email}"}]
              - database: stg
                table: crm
                key_columns: [{"{column: email, key: email}"}, {"{column: phone, key: phone}"}]
              - database: stg
                table: pos
                key_columns: [{"{column: email, key: email}"}, {"{column: phone, key: phone}"}]
            {idSection}:
              - name: pid
                merge_by_keys: [email, phone]
            """));

    static OrderedDictionary<string, object?> YamlTree(string yaml)
    {
        var files = new Runner.ProjectFiles(new Dictionary<string, string> { ["u.yml"] = yaml });
        return Runner.DigdagYaml.Load(files, "u.yml");
    }

    List<(string Table, object? Key, string? Id)> Ids()
    {
        var rows = new List<(string, object?, string?)>();
        foreach (var (table, key) in new[] { ("web", "visit"), ("crm", "email"), ("pos", "email") })
            foreach (var r in _warehouse.Query("cdp_unification_people", $"SELECT {key}, pid FROM enriched_{table} ORDER BY rowid").Rows)
                rows.Add((table, r[0], r[1] as string));
        return rows;
    }

    [Test]
    public void RecordsSharingAnyValidKeyGetOneIdAcrossTablesTransitively()
    {
        new UnificationEngine(_warehouse).Run(Config("persistent_ids"), fullRefresh: false, time: 1);
        var ids = Ids();
        string? Id(string table, object key) => ids.Single(r => r.Table == table && Equals(r.Key, key)).Id;

        Assert.Multiple(() =>
        {
            // web ann@x.com → crm (same email) → crm ann.work@z.com (same phone) → pos ann.work@z.com.
            Assert.That(Id("web", 1L), Is.Not.Null);
            Assert.That(Id("crm", "ann@x.com"), Is.EqualTo(Id("web", 1L)));
            Assert.That(Id("crm", "ann.work@z.com"), Is.EqualTo(Id("web", 1L)));
            Assert.That(Id("pos", "ann.work@z.com"), Is.EqualTo(Id("web", 1L)));
            Assert.That(Id("web", 2L), Is.Not.Null.And.Not.EqualTo(Id("web", 1L)));
            // Invalid email and a NULL key give no id; an invalid email with a valid phone still joins by phone.
            Assert.That(Id("web", 3L), Is.Null);
            Assert.That(Id("web", 4L), Is.Null);
            Assert.That(Id("crm", "test@example.com"), Is.EqualTo(Id("pos", "carl@q.com")));
        });
        var lookup = _warehouse.Query("cdp_unification_people", "SELECT count(*), count(DISTINCT id) FROM pid_lookup WHERE key_value = 'test@example.com' OR key_type IN ('email', 'phone')");
        Assert.That(lookup.Rows[0], Is.EqualTo(new object?[] { 6L, 3L }), "4 valid emails + 2 valid phones in 3 people; the invalid text is not a key");
    }

    [Test]
    public void EveryRowOfALargeTableGetsTheIdOfItsOwnKeysInSourceOrder()
    {
        // 300,000 rows span several of DuckDB's row groups (122,880 rows), which it scans and joins in parallel: each
        // row's id is joined by rowid, so this checks that the enriched table keeps row order. Every seventh row has
        // no valid email.
        Exec("""
            CREATE TABLE stg.big AS SELECT i AS seq, CASE WHEN i % 7 = 0 THEN 'none' ELSE 'u' || (i % 1000) || '@x.com' END AS email
            FROM range(300000) t(i) ORDER BY i
            """);
        var config = UnifyConfig.Parse(YamlTree("""
            name: people
            keys: [{name: email, valid_regexp: '.*@.*'}]
            tables: [{database: stg, table: big, key_columns: [{column: email, key: email}]}]
            persistent_ids: [{name: pid, merge_by_keys: [email]}]
            """));
        new UnificationEngine(_warehouse).Run(config, fullRefresh: false, time: 1);

        var check = _warehouse.Query("cdp_unification_people", """
            SELECT count(*), count(e.pid), count(DISTINCT e.pid),
                   count(*) FILTER (WHERE e.pid IS DISTINCT FROM l.id),
                   count(*) FILTER (WHERE e.seq <> e.n)
            FROM (SELECT *, rowid AS n FROM enriched_big) e
            LEFT JOIN pid_lookup l ON l.key_value = e.email
            """).Rows[0];
        Assert.That(check, Is.EqualTo(new object?[] { 300000L, 257142L, 1000L, 0L, 0L }),
            "rows, rows with an id, ids, rows whose id is not their email's, rows out of source order");
    }

    [Test]
    public void AnIdWhoseTablesHoldNoneOfItsKeysGivesAnEmptyLookupAndNoIds()
    {
        var id = Config("persistent_ids").Ids[0] with { MergeByKeys = ["phone"], SourceTables = ["web"] };
        var config = Config("persistent_ids") with { Ids = [id] };
        var engine = new UnificationEngine(_warehouse);
        engine.Run(config, fullRefresh: false, time: 1);
        // The second run seeds from the (empty) lookup and starts TD's loop from the (empty) graph.
        var result = engine.Run(config, fullRefresh: false, time: 2);

        var web = _warehouse.Query("cdp_unification_people", "SELECT count(*), count(pid) FROM enriched_web").Rows[0];
        var lookup = _warehouse.Query("cdp_unification_people", "SELECT count(*) FROM pid_lookup").Rows[0][0];
        Assert.That((web, lookup, result.Ids.Single().Ids), Is.EqualTo((new object?[] { 4L, 0L }, (object?)0L, 0)));
    }

    [Test]
    public void AKeyColumnThatIsNotTextJoinsTheSameDigitsAsText()
    {
        Exec("""
            CREATE TABLE stg.orders (customer_id BIGINT, amount DOUBLE);
            INSERT INTO stg.orders VALUES (1001, 5.0), (1002, 7.5);
            CREATE TABLE stg.members (customer_id TEXT, email TEXT);
            INSERT INTO stg.members VALUES ('1001', 'ann@x.com');
            """);
        var config = UnifyConfig.Parse(YamlTree("""
            name: people
            keys: [{name: customer_id}, {name: email, valid_regexp: '.*@.*'}]
            tables:
              - {database: stg, table: orders, key_columns: [{column: customer_id, key: customer_id}]}
              - {database: stg, table: members, key_columns: [{column: customer_id, key: customer_id}, {column: email, key: email}]}
            persistent_ids: [{name: pid, merge_by_keys: [customer_id, email]}]
            """));
        new UnificationEngine(_warehouse).Run(config, fullRefresh: false, time: 1);

        var orders = _warehouse.Query("cdp_unification_people", "SELECT pid FROM enriched_orders ORDER BY rowid").Rows.Select(r => r[0]).ToList();
        var member = _warehouse.Query("cdp_unification_people", "SELECT pid FROM enriched_members").Rows.Single()[0];
        var lookup = _warehouse.Query("cdp_unification_people", "SELECT key_type, key_value FROM pid_lookup ORDER BY rowid").Rows;
        Assert.Multiple(() =>
        {
            Assert.That(orders[0], Is.EqualTo(member), "order 1001 and member '1001' are one customer");
            Assert.That(orders[1], Is.Not.Null.And.Not.EqualTo(member));
            Assert.That(lookup, Is.EqualTo(new[] { new object?[] { "customer_id", "1001" }, ["customer_id", "1002"], ["email", "ann@x.com"] }));
        });
    }

    [Test]
    public void PersistentIdsStayStableWhenALaterRunMergesClusters()
    {
        var engine = new UnificationEngine(_warehouse);
        engine.Run(Config("persistent_ids"), fullRefresh: false, time: 1);
        var before = Ids();
        // A new record joining bob with carl: bob was seen first, so carl's cluster takes bob's id.
        Exec("INSERT INTO stg.pos VALUES ('bob@y.com', '5559998888')");
        engine.Run(Config("persistent_ids"), fullRefresh: false, time: 2);
        var after = Ids();

        string? Id(List<(string Table, object? Key, string? Id)> ids, string table, object key) => ids.First(r => r.Table == table && Equals(r.Key, key)).Id;
        Assert.That(Id(after, "web", 1L), Is.EqualTo(Id(before, "web", 1L)));
        Assert.That(Id(after, "web", 2L), Is.EqualTo(Id(before, "web", 2L)));
        Assert.That(Id(after, "pos", "carl@q.com"), Is.EqualTo(Id(before, "web", 2L)));
    }

    [Test]
    public void CanonicalIdsAreDeterministicAndLedByTheSmallestKey()
    {
        new UnificationEngine(_warehouse).Run(Config("canonical_ids"), fullRefresh: true, time: 1);
        var first = Ids();
        new UnificationEngine(_warehouse).Run(Config("canonical_ids"), fullRefresh: true, time: 2);
        Assert.That(Ids(), Is.EqualTo(first));

        // Email is the first merge key and "ann.work@z.com" sorts before "ann@x.com", so it leads Ann's cluster.
        var ann = first.Single(r => r.Table == "web" && Equals(r.Key, 1L)).Id;
        Assert.That(ann, Is.EqualTo(UnificationEngine.IdValue("people", "pid", ("email", "ann.work@z.com"))));
    }

    [Test]
    public void SourceTablesLimitWhichTablesAnIdMerges()
    {
        var config = Config("canonical_ids").Ids[0] with { SourceTables = ["web", "crm"] };
        var scoped = Config("canonical_ids") with { Ids = [config] };
        new UnificationEngine(_warehouse).Run(scoped, fullRefresh: true, time: 1);
        var tables = _warehouse.ListTables("cdp_unification_people").Select(t => t.Name).ToList();
        var pos = _warehouse.Query("cdp_unification_people", "SELECT count(pid) FROM enriched_pos");

        Assert.That(tables, Does.Contain("enriched_web").And.Contain("pid_lookup").And.Contain("pid_result_key_stats"));
        Assert.That(pos.Columns, Is.Not.Empty);
        Assert.That(pos.Rows[0][0], Is.EqualTo(0L), "pos is outside the id's source tables");
    }
}

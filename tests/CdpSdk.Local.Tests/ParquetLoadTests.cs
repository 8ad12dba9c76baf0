using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Tests;

/// <summary>
/// td_load> reads Parquet files (parser type: parquet) with the types they declare, several per path_prefix,
/// incrementally and with AcceptNewColumns as CSV does; a file that is not Parquet, is cut short, changes a
/// column's type or holds a value its column cannot take fails with its code, naming the file, and loads nothing.
/// The files are written by DuckDB's own Parquet writer in the test.
/// </summary>
public sealed class ParquetLoadTests : RetailSampleTest
{
    const string Dig = "_export:\n  td:\n    database: pq_db\n  object_name: t\n  objects:\n    - name: t\n      primary_key: id\n";

    /// <summary>Writes the rows of a DuckDB query as a Parquet file under the sample's data folder.</summary>
    void WriteParquet(string relativePath, string select)
    {
        var path = Path.Combine(Sample.Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; COPY ({select}) TO '{path.Replace("'", "''")}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }

    static string LoadConfig(string prefix, string mode = "append", bool incremental = false) =>
        $"in:\n  type: file\n  path_prefix: {prefix}\n  parser:\n    type: parquet\n" +
        (incremental ? "  incremental: true\n  incremental_columns: [updated_at]\n" : "") +
        $"out:\n  mode: {mode}\n";

    async Task<(LocalBackend Backend, Revision Revision)> Deploy(string dig, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(Sample.Root, "projects", "p");
        foreach (var (path, content) in new[] { ("w.dig", dig) }.Concat(files))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), content);
        }
        var backend = new LocalBackend(Path.Combine(Sample.Root, "warehouse"), Sample.Root, Sample.Log);
        return (backend, await backend.DeployAsync("p", dir, CancellationToken.None));
    }

    static async Task<RunStatus> Start(LocalBackend backend, Revision revision, DateTimeOffset at)
    {
        var session = await backend.StartAsync(revision, "w", at, CancellationToken.None);
        return await backend.GetStatusAsync(session, CancellationToken.None);
    }

    static async Task<List<object?[]>> Rows(LocalBackend backend, string sql) => (await backend.QueryAsync("pq_db", sql, CancellationToken.None)).Rows.ToList();

    static void AssertSucceeded(RunStatus status) =>
        Assert.That(status.State, Is.EqualTo(RunState.Success), () => string.Join("\n", status.Tasks.Select(t => $"{t.FullName} {t.State} {t.Error}")));

    [Test]
    public async Task ParquetTypesLoadAsTdStoresThemWithLeadingZerosAndIntegersKept()
    {
        WriteParquet("data/types.parquet", """
            SELECT 1::BIGINT AS id, '00123' AS zip, '42' AS code, 7::INTEGER AS small, 300::UBIGINT AS big, true AS flag,
                   12.50::DECIMAL(10,2) AS amount, 1.25::DOUBLE AS score, TIMESTAMP '2024-03-01 10:20:30.123456' AS updated_at,
                   TIMESTAMPTZ '2024-03-01 12:00:00+02' AS seen_at, DATE '2024-03-01' AS day, ['a', 'b'] AS tags,
                   {'city': 'Oslo'} AS address, NULL::INTEGER AS never, 'caf\xC3\xA9'::BLOB AS raw
            UNION ALL
            SELECT 2, NULL, NULL, NULL, NULL, false, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
            """);
        var (backend, revision) = await Deploy(Dig + "+load:\n  td_load>: config/t.yml\n  table: t\n", ("config/t.yml", LoadConfig("data/types.parquet", "replace")));
        using (backend)
        {
            AssertSucceeded(await Start(backend, revision, RetailSample.SessionTime));
            var types = await Rows(backend, "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'pq_db' AND table_name = 't' ORDER BY ordinal_position");
            Assert.That(types.Select(r => $"{r[0]} {r[1]}"), Is.EqualTo(new[]
            {
                "id BIGINT", "zip VARCHAR", "code VARCHAR", "small BIGINT", "big BIGINT", "flag BIGINT", "amount DOUBLE", "score DOUBLE",
                "updated_at VARCHAR", "seen_at VARCHAR", "day VARCHAR", "tags VARCHAR", "address VARCHAR", "never BIGINT", "raw VARCHAR",
            }), "the file's types decide, also for a column that is NULL in every row");
            var rows = await Rows(backend, "SELECT * FROM t ORDER BY id");
            Assert.That(rows[0], Is.EqualTo(new object?[]
            {
                1L, "00123", "42", 7L, 300L, 1L, 12.5, 1.25, "2024-03-01 10:20:30.123456", "2024-03-01 10:00:00.000000", "2024-03-01",
                "[\"a\",\"b\"]", "{\"city\":\"Oslo\"}", null, "café",
            }));
            Assert.That(rows[1], Is.EqualTo(new object?[] { 2L, null, null, null, null, 0L, null, null, null, null, null, null, null, null, null }));
        }
    }

    [Test]
    public async Task EveryFileUnderThePathPrefixLoadsInNameOrder()
    {
        WriteParquet("data/events/part-0.parquet", "SELECT range AS id, 'a' || range AS name FROM range(0, 1000)");
        WriteParquet("data/events/part-1.parquet", "SELECT range AS id, 'b' || range AS name FROM range(1000, 1500)");
        var (backend, revision) = await Deploy(Dig + "+load:\n  td_load>: config/t.yml\n  table: t\n+n:\n  echo>: loaded ${td.last_job.num_records}\n",
            ("config/t.yml", LoadConfig("data/events/part-", "replace")));
        using (backend)
        {
            AssertSucceeded(await Start(backend, revision, RetailSample.SessionTime));
            var rows = await Rows(backend, "SELECT count(*), count(DISTINCT id), min(name), max(id) FROM t");
            Assert.That(rows[0], Is.EqualTo(new object?[] { 1500L, 1500L, "a0", 1499L }));
        }
    }

    [TestCase("data/year=2024/events.parquet")]
    [TestCase("data/events [1].parquet")]
    public async Task AKeyValueFolderOrGlobCharacterInThePathChangesNothing(string file)
    {
        WriteParquet(file, "SELECT 1 AS id");
        var (backend, revision) = await Deploy(Dig + "+load:\n  td_load>: config/t.yml\n  table: t\n", ("config/t.yml", LoadConfig($"'{file}'", "replace")));
        using (backend)
        {
            AssertSucceeded(await Start(backend, revision, RetailSample.SessionTime));
            Assert.That(await Rows(backend, "SELECT * FROM t"), Is.EqualTo(new[] { new object?[] { 1L } }), "no 'year' column from the folder name");
        }
    }

    [Test]
    public async Task AnIncrementalLoadTakesOnlyRowsNewerThanTheWatermark()
    {
        WriteParquet("data/inc.parquet", "SELECT * FROM (VALUES (1, TIMESTAMP '2024-01-01 00:00:00'), (2, TIMESTAMP '2024-01-02 00:00:00')) v(id, updated_at)");
        var (backend, revision) = await Deploy(Dig + "+load:\n  td_load>: config/t.yml\n  table: t\n", ("config/t.yml", LoadConfig("data/inc.parquet", incremental: true)));
        using (backend)
        {
            AssertSucceeded(await Start(backend, revision, RetailSample.SessionTime));
            WriteParquet("data/inc.parquet", "SELECT * FROM (VALUES (1, TIMESTAMP '2024-01-01 00:00:00'), (2, TIMESTAMP '2024-01-02 00:00:00'), (3, TIMESTAMP '2024-01-02 00:00:01')) v(id, updated_at)");
            AssertSucceeded(await Start(backend, revision, RetailSample.SessionTime.AddDays(1)));
            var rows = await Rows(backend, "SELECT id, updated_at FROM t ORDER BY id");
            Assert.That(rows.Select(r => r[0]), Is.EqualTo(new object?[] { 1L, 2L, 3L }), "the rows of the first load are not loaded again");
            Assert.That(rows[2][1], Is.EqualTo("2024-01-02 00:00:01.000000"));
        }
    }

    [TestCase(false, "CDP3019", "the Parquet schema differs from the columns of pq_db.t, loaded before (new in the file: tier)")]
    [TestCase(true, null, null)]
    public async Task AColumnAddedInALaterFileNeedsAcceptNewColumns(bool accept, string? code, string? says)
    {
        WriteParquet("data/a.parquet", "SELECT 1 AS id, 'x' AS name");
        WriteParquet("data/b.parquet", "SELECT 2 AS id, 'y' AS name, 'gold' AS tier");
        var objects = accept ? Dig.Replace("primary_key: id\n", "primary_key: id\n      accept_new_columns: true\n") : Dig;
        var (backend, revision) = await Deploy(objects + "+a:\n  td_load>: config/a.yml\n  table: t\n+b:\n  td_load>: config/b.yml\n  table: t\n",
            ("config/a.yml", LoadConfig("data/a.parquet")), ("config/b.yml", LoadConfig("data/b.parquet")));
        using (backend)
        {
            var status = await Start(backend, revision, RetailSample.SessionTime);
            if (code is null)
            {
                AssertSucceeded(status);
                Assert.That(await Rows(backend, "SELECT id, name, tier FROM t ORDER BY id"), Is.EqualTo(new[] { new object?[] { 1L, "x", null }, new object?[] { 2L, "y", "gold" } }));
                return;
            }
            Assert.That(status.Tasks.Single(t => t.State == "error").Error, Does.StartWith(code + ":").And.Contain("data/b.parquet").And.Contain(says));
            Assert.That(await Rows(backend, "SELECT id FROM t"), Has.Count.EqualTo(1));
        }
    }

    public sealed record Bad(string Name, Action<ParquetLoadTests> Write, string Code, string Says)
    {
        public override string ToString() => Name;
    }

    static byte[] Cut(byte[] bytes) => bytes[..(bytes.Length / 2)];

    public static IEnumerable<Bad> BadFiles() =>
    [
        new("a CSV file named .parquet", t => File.WriteAllText(Path.Combine(t.Sample.Root, "data/in/part-1.parquet"), "id,name\n3,z\n"), "CDP3026", "not a readable Parquet file"),
        new("a truncated Parquet file", t =>
        {
            t.WriteParquet("data/in/part-1.parquet", "SELECT range AS id, 'n' || range AS name FROM range(3, 5000)");
            var path = Path.Combine(t.Sample.Root, "data/in/part-1.parquet");
            File.WriteAllBytes(path, Cut(File.ReadAllBytes(path)));
        }, "CDP3026", "not a readable Parquet file"),
        new("id turned into a string", t => t.WriteParquet("data/in/part-1.parquet", "SELECT '3' AS id, 'z' AS name"), "CDP3027", "'id' is VARCHAR in the file but BIGINT in pq_db.t"),
        new("id turned into a double", t => t.WriteParquet("data/in/part-1.parquet", "SELECT 3.5::DOUBLE AS id, 'z' AS name"), "CDP3027", "'id' is DOUBLE in the file"),
        new("an integer id turned into a decimal", t => t.WriteParquet("data/in/part-1.parquet", "SELECT 3::DECIMAL(18,0) AS id, 'z' AS name"), "CDP3027", "'id' is DECIMAL(18,0) in the file (stored as DOUBLE) but BIGINT"),
        new("an unsigned id above BIGINT", t => t.WriteParquet("data/in/part-1.parquet", "SELECT 18446744073709551615::UBIGINT AS id, 'z' AS name"), "CDP3028", "a value cannot be read"),
        new("a binary column that is not UTF-8", t => t.WriteParquet("data/in/part-1.parquet", "SELECT 3::BIGINT AS id, '\\xFF\\xFE'::BLOB AS name"), "CDP3028", "a value cannot be read"),
    ];

    /// <summary>part-0 is good and loads first; the bad part-1 after it fails the task, and neither file's rows stay.</summary>
    [TestCaseSource(nameof(BadFiles))]
    public async Task ABadParquetFileFailsWithItsCodeNamingTheFileAndLoadsNothing(Bad bad)
    {
        WriteParquet("data/in/part-0.parquet", "SELECT 1::BIGINT AS id, 'x' AS name");
        bad.Write(this);
        var (backend, revision) = await Deploy(Dig + "+fill:\n  td>:\n  query: SELECT 7::BIGINT AS id, 'seed' AS name\n  create_table: t\n+load:\n  td_load>: config/t.yml\n  table: t\n",
            ("config/t.yml", LoadConfig("data/in/part-")));
        using (backend)
        {
            var status = await Start(backend, revision, RetailSample.SessionTime);
            Assert.That(status.State, Is.EqualTo(RunState.Error));
            var error = status.Tasks.Single(t => t.State == "error").Error;
            Assert.That(error, Does.StartWith(bad.Code + ":").And.Contain("Data file data/in/part-1.parquet:").And.Contain(bad.Says).And.Contain("Nothing of the file was loaded"));
            Assert.That(error, Does.Not.Contain("   at ").And.Not.Contain(Sample.Root), "no stack, no machine path");
            Assert.That((await Rows(backend, "SELECT id FROM t")).Select(r => r[0]), Is.EqualTo(new object?[] { 7L }), "part-0's row is not kept either");
        }
    }

    /// <summary>The sample's pos members as a Parquet file: the project's Location names it, the format comes from its extension.</summary>
    [Test]
    public async Task APipelineObjectLoadsItsParquetFileIncrementally()
    {
        var csv = Path.Combine(Sample.Root, "data/pos/members.csv").Replace("'", "''");
        WriteParquet("data/pos/members.parquet", $"SELECT * FROM read_csv('{csv}', all_varchar = true)");
        var spec = Sample.Spec((items, _) =>
        {
            var members = items.Single(i => i.ItemType == "CdpObject" && i.Identity == "members");
            items[items.IndexOf(members)] = members with { Metadata = new Dictionary<string, string>(members.Metadata) { ["Location"] = "data/pos/members.parquet" } };
        });
        Assert.That(spec.Objects.Single(o => o.Name == "members").Format, Is.EqualTo("parquet"));
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime);
        var members = Sample.Rows("data/pos/members.csv");
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(members.Count));

        WriteParquet("data/pos/members.parquet", $"SELECT * FROM read_csv('{csv}', all_varchar = true) UNION ALL SELECT 'M9001', 'new@example.com', '555', 'New', '2025-01-01 00:00:00'");
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime.AddDays(1));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(members.Count + 1));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members WHERE member_id = 'M9001'"), Is.EqualTo(1));
    }
}

using CdpSdk.Core.Backend;

namespace CdpSdk.Local.Tests;

/// <summary>td_load> reads JSON arrays and NDJSON as well as CSV, and td_ddl> manages tables.</summary>
public sealed class LoadFormatTests : RetailSampleTest
{
    async Task<(LocalBackend Backend, RunStatus Status, SessionRef Session)> Run(params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(Sample.Root, "projects", "p");
        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(dir, path))!);
            File.WriteAllText(Path.Combine(dir, path), content);
        }
        var backend = new LocalBackend(Path.Combine(Sample.Root, "warehouse"), Sample.Root, Sample.Log);
        var revision = await backend.DeployAsync("p", dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "w", RetailSample.SessionTime, CancellationToken.None);
        return (backend, await backend.GetStatusAsync(session, CancellationToken.None), session);
    }

    [Test]
    public async Task JsonArraysAndNdjsonLoadWithTheirOwnTypesAndNewColumnsAppear()
    {
        File.WriteAllText(Path.Combine(Sample.Root, "data", "a.json"), """[{"id": 1, "name": "x", "tags": ["a"]}, {"id": 2, "name": null}]""");
        File.WriteAllText(Path.Combine(Sample.Root, "data", "b.ndjson"), "{\"id\": 3, \"name\": \"z\", \"score\": 1.5}\n\n{\"id\": 4, \"name\": \"w\"}\n");
        var (backend, status, session) = await Run(
            ("w.dig", "_export:\n  td:\n    database: demo_db\n+a:\n  td_load>: config/a.yml\n  table: t\n+b:\n  td_load>: config/b.yml\n  table: t\n+n:\n  echo>: loaded ${td.last_job.num_records}\n"),
            ("config/a.yml", "in:\n  type: file\n  path_prefix: data/a.json\n  parser:\n    type: json\nout:\n  mode: replace\n"),
            ("config/b.yml", "in:\n  type: file\n  path_prefix: data/b.ndjson\n  parser:\n    type: ndjson\nout:\n  mode: append\n"));
        using (backend)
        {
            Assert.That(status.State, Is.EqualTo(RunState.Success), () => backend.GetLogAsync(session, "", CancellationToken.None).Result);
            var rows = await backend.QueryAsync("demo_db", "SELECT id, name, tags, score, typeof(id) FROM t ORDER BY id", CancellationToken.None);
            Assert.That(rows.Rows, Has.Count.EqualTo(4));
            Assert.That(rows.Rows[0], Is.EqualTo(new object?[] { 1L, "x", "[\"a\"]", null, "bigint" }));
            Assert.That(rows.Rows[2][3], Is.EqualTo(1.5));
            Assert.That(await backend.GetLogAsync(session, "+w+n", CancellationToken.None), Does.Contain("loaded 2"));
        }
    }

    [TestCase("ndjson", "{\"id\": 1}\n\n{\"id\": 2, \"name\": \"z\"\n{\"id\": 3}\n", 3, "not valid JSON")]
    [TestCase("json", "[\n  {\"id\": 1},\n  {\"id\": 2,, \"name\": \"z\"}\n]\n", 3, "not valid JSON at byte")]
    [TestCase("ndjson", "{\"id\": 1}\n[1, 2]\n", 2, "must hold JSON objects")]
    public async Task AJsonErrorNamesTheFileAndItsOneBasedLineAndLoadsNothing(string format, string content, int line, string says)
    {
        File.WriteAllText(Path.Combine(Sample.Root, "data", "bad." + format), content);
        var (backend, status, _) = await Run(
            ("w.dig", "_export:\n  td:\n    database: demo_db\n+fill:\n  td>:\n  query: SELECT 7 AS id\n  create_table: t\n+bad:\n  td_load>: config/bad.yml\n  table: t\n"),
            ("config/bad.yml", $"in:\n  type: file\n  path_prefix: data/bad.{format}\n  parser:\n    type: {format}\nout:\n  mode: append\n"));
        using (backend)
        {
            Assert.That(status.State, Is.EqualTo(RunState.Error));
            Assert.That(status.Tasks.Single(t => t.State == "error").Error,
                Does.StartWith("CDP3007:").And.Contain($"data/bad.{format}, line {line}:").And.Contain(says).And.Not.Contain("LineNumber"));
            var rows = await backend.QueryAsync("demo_db", "SELECT id FROM t", CancellationToken.None);
            Assert.That(rows.Rows.Select(r => r[0]), Is.EqualTo(new object?[] { 7L }), "the records before the bad line are not kept");
        }
    }

    [Test]
    public async Task TdDdlCreatesEmptiesRenamesAndDropsTables()
    {
        var (backend, status, session) = await Run(
            ("w.dig", """
                _export:
                  td:
                    database: ddl_db
                +create:
                  td_ddl>:
                  create_databases: [ddl_db]
                  create_tables: [a, b]
                +fill:
                  td>:
                  query: SELECT 1 AS "time"
                  insert_into: a
                +change:
                  td_ddl>:
                  empty_tables: [a]
                  drop_tables: [b]
                  rename_tables: [{from: a, to: c}]
                """));
        using (backend)
        {
            Assert.That(status.State, Is.EqualTo(RunState.Success), () => backend.GetLogAsync(session, "", CancellationToken.None).Result);
            var tables = await backend.ListTablesAsync("ddl_db", CancellationToken.None);
            Assert.That(tables.Select(t => (t.Name, t.Rows)), Is.EqualTo(new[] { ("c", 0L) }));
        }
    }

    [Test]
    public async Task AnHttpCallToAnyOtherEndpointFailsWithCdp3005()
    {
        var (backend, status, _) = await Run(("w.dig", "+call:\n  http_call>: https://example.com/api\n"));
        using (backend)
        {
            Assert.That(status.State, Is.EqualTo(RunState.Error));
            Assert.That(status.Tasks.Single(t => t.State == "error").Error, Does.StartWith("CDP3005:").And.Contain("https://example.com/api"));
        }
    }
}

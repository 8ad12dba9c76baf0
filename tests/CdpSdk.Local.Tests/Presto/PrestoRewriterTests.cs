using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Presto;

namespace CdpSdk.Local.Tests.Presto;

/// <summary>The rewriter touches calls only, never text, quoted names, comments or qualified names.</summary>
public class PrestoRewriterTests
{
    [Test]
    public void StringsCommentsAndQuotedNamesPassThroughUnchanged()
    {
        const string sql = "-- regexp_replace(a, b)\nSELECT 'regexp_replace(x, y)' AS \"regexp_replace\", t.regexp_replace(1) /* concat(a) */ FROM t";
        Assert.That(PrestoEngine.Translate(sql), Is.EqualTo(sql));
    }

    [Test]
    public void NestedCallsAreRewrittenInsideOut()
    {
        var duck = PrestoEngine.Translate("SELECT concat(regexp_replace(a, '[^0-9]', ''), b) FROM t");
        Assert.That(duck, Is.EqualTo("SELECT ((presto_regexp_replace(a, '[^0-9]', '')) || ( b)) FROM t"));
    }

    [Test]
    public void FilterClauseOfAnAggregateIsNotTheLambdaFunction() =>
        Assert.That(PrestoEngine.Translate("SELECT count(*) FILTER (WHERE x > 1) FROM t"), Is.EqualTo("SELECT count(*) FILTER (WHERE x > 1) FROM t"));

    [Test]
    public void RefusalNamesTheFileAndLine()
    {
        var e = Assert.Throws<CdpException>(() => PrestoEngine.Translate("SELECT\n  1,\n  reduce(a, 0, (s, x) -> s + x, s -> s)\nFROM t", "queries/x.sql"));
        Assert.That(e!.Diagnostic.Code, Is.EqualTo(PrestoErrors.UnsupportedFunction));
        Assert.That(e.Message, Does.StartWith("queries/x.sql:3: reduce"));
    }

    [Test]
    public void BareValuesRowsBecomeParenthesizedRows() =>
        Assert.That(PrestoEngine.Translate("SELECT * FROM (VALUES 1, 2) t(x)"), Is.EqualTo("SELECT * FROM (VALUES (1), (2)) t(x)"));

    [Test]
    public void DateFormatLiteralIsTranslatedToDuckDbSpecifiers() =>
        Assert.That(PrestoEngine.Translate("SELECT date_parse(s, '%Y-%m-%d %H:%i:%s') FROM t"), Is.EqualTo("SELECT strptime(s, '%Y-%m-%d %H:%M:%S') FROM t"));

    [Test]
    public void TablesCreatedThroughTheEngineAreOrdinaryDuckDbTables()
    {
        var file = Path.Combine(Path.GetTempPath(), $"cdp-presto-{Guid.NewGuid():N}.duckdb");
        try
        {
            using (var engine = PrestoEngine.Open(file))
                engine.Execute("CREATE TABLE t AS SELECT regexp_replace('555.018.5453', '[^0-9]', '') AS phone");
            // A second connection without the layer (any DuckDB client) reads the table; the macros were TEMP.
            using var plain = new DuckDB.NET.Data.DuckDBConnection($"DataSource={file}");
            plain.Open();
            using var command = plain.CreateCommand();
            command.CommandText = "SELECT phone, (SELECT count(*) FROM duckdb_functions() WHERE function_name LIKE 'presto_%') FROM t";
            using var reader = command.ExecuteReader();
            Assert.That(reader.Read(), Is.True);
            Assert.That(reader.GetString(0), Is.EqualTo("5550185453"));
            Assert.That(reader.GetInt64(1), Is.Zero);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

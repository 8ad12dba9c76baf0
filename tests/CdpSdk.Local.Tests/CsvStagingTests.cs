using System.Text;
using CdpSdk.Local.Loading;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Tests;

/// <summary>
/// DuckDB's CSV reader is only a faster way of reading what the strict record reader reads: for every file
/// both read, the loaded table is the same row for row and type for type (incremental cursor included), and
/// a file the strict reader refuses is never taken by the fast path.
/// </summary>
public class CsvStagingTests
{
    string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "cdp-csvstaging-" + Guid.NewGuid().ToString("N")[..8]));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    public static IEnumerable<TestCaseData> ReadableFiles() =>
    [
        new TestCaseData("id,email,zip,amount,note\n1,a@x.io,01234,1.50,plain\n2,,12345,2,\"with, comma\"\n").SetName("leading zeros, decimals, empty, quoted delimiter"),
        new TestCaseData("id,note\n1,\"x\"\"y\"\n2,\"\"\n3,\"line\nbreak\"\n").SetName("doubled quote, quoted empty, quoted newline"),
        new TestCaseData("\uFEFFid,\"name\"\r\n1, spaced \r\n\r\n2,\"(555) 000-1234\"\r\n").SetName("BOM, CRLF, blank line, spaces kept, quoted header"),
        new TestCaseData("id,value\n1,n/a\n2,-0\n3,1.50\n4,99999999999999999999\n5,-7\n").SetName("mixed column stays text, huge integer is text"),
        new TestCaseData("id,flag\n1,007\n2,-\n3,1e3\n").SetName("texts that start like numbers"),
        new TestCaseData("id\n1\n2\n").SetName("one column"),
        new TestCaseData(LateKinds()).SetName("kinds that show only after the first rows"),
    ];

    /// <summary>Columns whose widest value comes after the rows the loader looks at first: all must still be found.</summary>
    static string LateKinds()
    {
        var text = new StringBuilder("id,code,amount,later,name\n");
        for (var i = 1; i <= 6000; i++)
            text.Append(i).Append(',').Append(i < 6000 ? i.ToString() : "A-1").Append(',').Append(i < 5000 ? "7" : "7.25")
                .Append(',').Append(i < 5500 ? "" : "42").Append(",n").Append(i).Append('\n');
        return text.ToString();
    }

    [TestCaseSource(nameof(ReadableFiles))]
    public void DuckDbReadsTheFileAsTheStrictReaderDoes(string content)
    {
        var (strict, staged) = LoadBothWays(content, incremental: null);
        Assert.That(staged, Is.EqualTo(strict));
    }

    [Test]
    public void AColumnIsTypedByItsWidestValueWhereverInTheFileItStands()
    {
        var (_, staged) = LoadBothWays(LateKinds(), incremental: null);
        Assert.That(staged, Does.StartWith("id BIGINT; code VARCHAR; amount DOUBLE; later BIGINT; name VARCHAR;"),
            "text in the last row, a decimal after 5,000 integers, integers after 5,500 empty fields");
    }

    [Test]
    public void TheIncrementalCursorSkipsTheSameRowsAndEndsAtTheSameWatermark()
    {
        const string content = "id,updated_at\n1,2024-01-01 00:00:00\n2,\n3,2023-12-31 23:59:59\n4,2024-03-01T10:00:00Z\n5,2024-02-01\n6,2024-03-01 10:00:00\n";
        var (strict, staged) = LoadBothWays(content, incremental: ("updated_at", "2023-06-01", "2024-01-01 00:00:00"));
        Assert.That(staged, Is.EqualTo(strict));
        Assert.That(staged, Does.Contain("watermark 2024-03-01T10:00:00Z"), "the first of two equal highest times wins, as in file order");
        Assert.That(staged, Does.Contain("skipped 2 old, 1 without value"));
    }

    public static IEnumerable<TestCaseData> PlainTimeCursors() =>
    [
        new TestCaseData("id,updated_at\n1,2024-01-01 00:00:00\n2,\n3,2023-12-31 23:59:59\n4,2024-03-01T10:00:00Z\n5,2024-03-01 10:00:00\n6,2023-05-01 00:00:00\n",
            ("updated_at", "2023-06-01", "2024-01-01 00:00:00")).SetName("start date and watermark, equal highest times in two forms"),
        new TestCaseData("id,updated_at\n1,2024-01-01 00:00:00\n2,2023-12-31T23:59:59\n3,\n", ((string, string?, string?))("updated_at", null, null)).SetName("no bounds: every timed row, the latest as watermark"),
        new TestCaseData("id,updated_at\n1,2020-01-01 00:00:00\n", ((string, string?, string?))("updated_at", null, "2024-01-01 00:00:00")).SetName("nothing new: the watermark stays"),
        new TestCaseData("id,updated_at\n1,2024-01-01 00:00:00\n2,2023-12-31T23:59:59\n", ((string, string?, string?))("updated_at", null, null)).SetName("nothing skipped: every row kept"),
    ];

    [TestCaseSource(nameof(PlainTimeCursors))]
    public void ACursorOfPlainTimesIsFilteredInSqlWithTheSameRowsCountsAndWatermark(string content, (string Column, string? Start, string? Watermark) incremental)
    {
        var (strict, staged) = LoadBothWays(content, incremental);
        Assert.That(staged, Is.EqualTo(strict));

        using var connection = Open();
        var source = RecordSource.Open(Write(content), "data/x.csv", "csv");
        Assert.That(source.TryStage(connection, "_cdp_file_0"), Is.True);
        Assert.That(TableLoader.SkipOldTimes(connection, "temp._cdp_file_0", "updated_at", new IncrementalFilter(incremental.Column, incremental.Start, incremental.Watermark)), Is.True,
            "plain times are compared in SQL, not parsed one by one in C#");
    }

    [TestCase("2024-02-01", TestName = "a date without a time")]
    [TestCase(" 2024-01-01 00:00:00", TestName = "a leading space")]
    [TestCase("2024-02-30 00:00:00", TestName = "a day the month does not have")]
    [TestCase("1700000000", TestName = "unix seconds")]
    public void ACursorWithAnyOtherValueIsLeftToTheParser(string odd)
    {
        var content = $"id,updated_at\n1,2024-01-01 00:00:00\n2,\"{odd}\"\n";
        using var connection = Open();
        var source = RecordSource.Open(Write(content), "data/x.csv", "csv");
        Assert.That(source.TryStage(connection, "_cdp_file_0"), Is.True);
        var filter = new IncrementalFilter("updated_at", null, null);
        Assert.That(TableLoader.SkipOldTimes(connection, "temp._cdp_file_0", "updated_at", filter), Is.False);
        Assert.That(Sql.Scalar(connection, "SELECT count(*) FROM temp._cdp_file_0"), Is.EqualTo(2L), "nothing deleted");
        Assert.That((filter.Highest, filter.SkippedOld, filter.SkippedWithoutValue), Is.EqualTo(((string?)null, 0L, 0L)), "nothing counted");

        var (strict, staged) = LoadBothWays(content, ("updated_at", null, null));
        Assert.That(staged, Is.EqualTo(strict));
    }

    public static IEnumerable<TestCaseData> RefusedFiles() =>
    [
        new TestCaseData("id,email\n1,stray\"quote@x.io\n").SetName("quote inside an unquoted field"),
        new TestCaseData("id,email\n1,\"closed\"after\n").SetName("text after a closing quote"),
        new TestCaseData("id,email\n1,\"never closed\n2,b\n").SetName("quote never closed"),
        new TestCaseData("id,email\n1,a,extra\n").SetName("extra field"),
        new TestCaseData("id,email\n1\n").SetName("missing field"),
    ];

    [TestCaseSource(nameof(RefusedFiles))]
    public void AFileTheStrictReaderRefusesIsLeftToIt(string content)
    {
        var path = Write(content);
        using var connection = Open();
        var source = RecordSource.Open(path, "data/x.csv", "csv");
        Assert.That(source.TryStage(connection, "_cdp_file_0"), Is.False);
        Assert.That(Sql.Scalar(connection, "SELECT count(*) FROM information_schema.tables WHERE table_name = '_cdp_file_0'"), Is.EqualTo(0L), "nothing half-read is left behind");
        Assert.Throws<CdpSdk.Core.Diagnostics.CdpException>(() => source.Read().ToList(), "and the strict reader names the error");
    }

    [Test]
    public void QuotesAreFollowedAcrossTheReadersChunks()
    {
        // A doubled quote, an opening and a closing quote, each split over the 1 MiB chunk boundary.
        var filler = new string('a', (1 << 20) - "id,text\n1,\"".Length - 1);
        foreach (var (tail, strict) in new[] { ("\"\"b\"\n", true), ("\",\"c\"\n", true), ("\"x\n", false) })
        {
            var path = Write($"id,text\n1,\"{filler}{tail}");
            Assert.That(QuotePlacement.IsStrict(path, ',', '"'), Is.EqualTo(strict), tail);
        }
    }

    (string Strict, string Staged) LoadBothWays(string content, (string Column, string? Start, string? Watermark)? incremental)
    {
        var path = Write(content);
        using var connection = Open();
        var source = RecordSource.Open(path, "data/x.csv", "csv");
        var strictFilter = incremental is { } s ? new IncrementalFilter(s.Column, s.Start, s.Watermark) : null;
        var records = strictFilter is null ? source.Read() : source.Read().Where(strictFilter.Accept);
        TableLoader.Load(connection, "main", "strict", "data/x.csv", source.Columns, records, replace: true);

        Assert.That(source.TryStage(connection, "_cdp_file_0"), Is.True, "DuckDB reads this file");
        var stagedFilter = incremental is { } t ? new IncrementalFilter(t.Column, t.Start, t.Watermark) : null;
        TableLoader.LoadStaged(connection, "main", "staged", "data/x.csv", source.Columns, "_cdp_file_0", stagedFilter, replace: true);
        return (Describe(connection, "strict", strictFilter), Describe(connection, "staged", stagedFilter));
    }

    static string Describe(DuckDBConnection connection, string table, IncrementalFilter? filter)
    {
        var text = new StringBuilder();
        foreach (var (name, type) in Sql.ColumnTypes(connection, "main", table)) text.Append($"{name} {type}; ");
        text.AppendLine();
        foreach (var row in Sql.Read(connection, $"SELECT * FROM main.{table} ORDER BY rowid"))
            text.AppendLine(string.Join(" | ", row.Select(v => v is null ? "NULL" : $"{v.GetType().Name}:{v}")));
        if (filter is not null) text.AppendLine($"watermark {filter.Highest}; skipped {filter.SkippedOld} old, {filter.SkippedWithoutValue} without value");
        return text.ToString();
    }

    string Write(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N")[..8] + ".csv");
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        return connection;
    }
}

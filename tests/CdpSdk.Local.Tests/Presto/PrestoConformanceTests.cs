using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Presto;

namespace CdpSdk.Local.Tests.Presto;

/// <summary>The Presto layer on a real DuckDB answers as Presto's documentation says, or refuses with a code.</summary>
[TestFixture]
public class PrestoConformanceTests
{
    PrestoEngine _engine = null!;

    [OneTimeSetUp]
    public void Open() => _engine = PrestoEngine.Open(scheduledTime: PrestoConformanceCases.ScheduledTime);

    [OneTimeTearDown]
    public void Close() => _engine.Dispose();

    static string Query(string presto) => presto.StartsWith("SELECT ", StringComparison.Ordinal) ? presto : "SELECT " + presto;

    static IEnumerable<TestCaseData> Results() =>
        PrestoConformanceCases.Results.Select(c => new TestCaseData(c.Presto, c.Expected).SetArgDisplayNames(c.Presto).SetDescription(c.Doc));

    static IEnumerable<TestCaseData> Refused() =>
        PrestoConformanceCases.Refused.Select(c => new TestCaseData(c.Presto, c.Code).SetArgDisplayNames(c.Presto).SetDescription(c.Why));

    static IEnumerable<TestCaseData> Gaps() =>
        PrestoConformanceCases.Gaps.Select(c => new TestCaseData(c.Presto, c.PrestoResult).SetArgDisplayNames(c.Presto).SetDescription(c.Doc));

    [TestCaseSource(nameof(Results))]
    public void PrestoExpressionGivesPrestosDocumentedResult(string presto, string expected)
    {
        var rows = _engine.Query(Query(presto), "conformance");
        Assert.That(rows, Has.Count.EqualTo(1));
        Assert.That(PrestoDisplay.Of(rows[0][0]), Is.EqualTo(expected), $"DuckDB ran: {PrestoEngine.Translate(Query(presto))}");
    }

    [TestCaseSource(nameof(Refused))]
    public void WhatTheLayerCannotRunIsACodedError(string presto, string code)
    {
        var e = Assert.Throws<CdpException>(() => _engine.Query(Query(presto), "conformance.sql"));
        Assert.That(e!.Diagnostic.Code, Is.EqualTo(code), e.Message);
        Assert.That(e.Message, Does.Contain("conformance.sql"));
    }

    [TestCaseSource(nameof(Gaps))]
    public void KnownGapStillDiffersFromPresto(string presto, string prestoResult)
    {
        var actual = PrestoDisplay.Of(_engine.Query(Query(presto), "conformance")[0][0]);
        Assert.That(actual, Is.Not.EqualTo(prestoResult), "The layer now agrees with Presto: move this case to PrestoConformanceCases.Results.");
    }

    [Test]
    public void SuiteHasAtLeastSixtyDocumentedCases() =>
        Assert.That(PrestoConformanceCases.Results.Length, Is.GreaterThanOrEqualTo(60));
}

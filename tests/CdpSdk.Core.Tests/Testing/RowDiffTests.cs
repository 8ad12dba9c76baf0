using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.Results;
using CdpSdk.Core.State;
using CdpSdk.Core.Testing;
using CdpSdk.Core.Validation;

namespace CdpSdk.Core.Tests.Testing;

/// <summary>How a unit test's output is compared with its expected rows, and where the differences are shown.</summary>
public sealed class RowDiffTests
{
    static TestRows Expected(params (string Id, string? Flag, int Line)[] rows) =>
        new([new TestColumn("id"), new TestColumn("flag")], rows.Select(r => new TestRow([r.Id, r.Flag], r.Line)).ToList(), new SourceLocation("t.csv", 1, 1));

    static ScratchOutput Actual(params (string Id, string? Flag)[] rows) =>
        new(["extra", "flag", "id"], rows.Select(r => (IReadOnlyList<string?>)["x", r.Flag, r.Id]).ToList());

    [Test]
    public void RowsMatchInAnyOrderOverTheExpectedColumnsWithNumbersAndBooleansByValue()
    {
        var diff = RowDiff.Compare(Expected(("1", "1", 2), ("2", "true", 3), ("3", null, 4)), Actual(("3", null), ("2", "True"), ("1", "1.0")));
        Assert.That(diff, Is.Empty);
    }

    [Test]
    public void DifferencesAreMissingUnexpectedOrChangedByTheFirstColumn()
    {
        var diff = RowDiff.Compare(Expected(("1", "1", 2), ("2", "0", 3)), Actual(("1", "0"), ("9", "1")));
        Assert.That(diff.Select(d => (d.Kind, d.Line)), Is.EquivalentTo(new[] { ("changed", 2), ("missing", 3), ("unexpected", 0) }));
        Assert.That(diff.Single(d => d.Kind == "changed").Changes, Is.EqualTo(new[] { new ColumnChange("flag", "1", "0") }));
        Assert.That(RowDiff.Describe(diff), Does.Contain("changed id=1 (line 2): flag expected 1, got 0").And.Contain("missing {id=2, flag=0} (line 3)").And.Contain("unexpected {id=9, flag=1}"));
    }

    [Test]
    public void AFailedTestIsAUnitTestResultInRunResultsAndARowDiffInTheReport()
    {
        var diff = RowDiff.Compare(Expected(("1", "1", 2)), Actual(("1", "0")));
        var result = new UnitTestResult("flags", "Staging", "db.t", CheckStatus.Fail, "1 difference(s)", diff, "SELECT 1", DateTimeOffset.UnixEpoch, 5);
        var state = new PipelineState().With(Phase.Staging, p => p with { Tests = [result] });

        var entry = RunResults.Build(state).Results.Single(r => r.ResourceType == "unit_test");
        Assert.That((entry.UniqueId, entry.Status, entry.Failures), Is.EqualTo(("unit_test.Staging.flags", "fail", 1L)));
        Assert.That(entry.SampleRows![0], Is.EqualTo(new[] { "changed", "2", "{id=1, flag=1}", "flag: expected 1, got 0" }));

        var md = new System.Text.StringBuilder();
        UnitTestReport.Markdown(md, [result]);
        Assert.That(md.ToString(), Does.Contain("## Unit tests").And.Contain("| flags | Staging | db.t | ✗ fail | 1 |").And.Contain("| changed | 2 | {id=1, flag=1} | flag: expected 1, got 0 |"));
    }

    [TestCase("SELECT ';' AS a -- ; not a statement\nFROM t /* ; */\n;\n", null, 0)]
    [TestCase("WITH x AS (SELECT 1) SELECT * FROM x", null, 0)]
    [TestCase("SELECT 1;\n\nSELECT 2", "CDP0311", 3)]
    [TestCase("-- nothing\n", "CDP0312", 1)]
    [TestCase("\nUPDATE t SET a = 1", "CDP0312", 2)]
    public void CheckSqlIsOneQuery(string sql, string? code, int line)
    {
        var problem = CheckSqlFile.Problem(sql);
        Assert.That((problem?.Code, problem?.Line ?? 0), Is.EqualTo((code, line)));
    }
}

using CdpSdk.Core.Diagnosis;
using CdpSdk.Testing;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// Every diagnosis of the catalogue is reached on the TreasureData target by a test that provokes its failure
/// on the fake TD and lets StepHealer diagnose the record the TD adapter raised (TdHttp, the backend, the
/// reading of task errors): the tests marked [Reaches(code)], each checked by its mark to have seen that
/// diagnosis. A new diagnosis fails here until a TD test reaches it.
/// </summary>
public sealed class CatalogueCoverageTests
{
    public static IEnumerable<string> Codes => DiagnosisCatalog.Codes;

    [TestCaseSource(nameof(Codes))]
    public void IsReachedByATestOnTheFakeTd(string code) =>
        Assert.That(CatalogueCoverage.Witnesses(typeof(CatalogueCoverageTests).Assembly, code), Is.Not.Empty,
            $"No TD test reaches {code}: provoke its failure on the fake TD and mark the test [Reaches(\"{code}\")].");
}

using CdpSdk.Core.Diagnosis;
using CdpSdk.Testing;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Every diagnosis of the catalogue is reached on the Local target by a test that provokes its failure for
/// real (DuckDB, the Digdag runner, a loopback HTTP source) and diagnoses the record the adapter raised: the
/// tests marked [Reaches(code)], each checked by its mark to have seen that diagnosis. A new diagnosis fails
/// here until a Local test reaches it, or the table below says why it cannot happen on Local.
/// </summary>
public sealed class CatalogueCoverageTests
{
    /// <summary>Diagnoses that cannot happen on Local, and why; nothing in the tests fakes them.</summary>
    static readonly IReadOnlyDictionary<string, string> NotOnLocal = new Dictionary<string, string>
    {
        [DiagnosisCatalog.MissingDatabase] = "Local creates a database on first use; a dropped upstream database (schema) is a missing table (SelfHealingTests.ADeletedUpstreamDatabaseIsAMissingTableOnLocal).",
        [DiagnosisCatalog.Timeout] = "Local runs a workflow inside Execute, so Monitor never waits for a running attempt; one left by a dead process is marked killed.",
    };

    public static IEnumerable<string> Codes => DiagnosisCatalog.Codes;

    [TestCaseSource(nameof(Codes))]
    public void IsReachedByALocalTestOrCannotHappenOnLocal(string code)
    {
        var witnesses = CatalogueCoverage.Witnesses(typeof(CatalogueCoverageTests).Assembly, code);
        if (NotOnLocal.TryGetValue(code, out var why))
            Assert.That(witnesses, Is.Empty, $"{code} is said not to happen on Local ({why}), yet a test reaches it: drop it from NotOnLocal.");
        else
            Assert.That(witnesses, Is.Not.Empty, $"No Local test reaches {code}: provoke its failure for real and mark the test [Reaches(\"{code}\")], or add it to NotOnLocal with the reason.");
    }
}

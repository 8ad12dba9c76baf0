using System.Collections.Concurrent;
using System.Reflection;
using CdpSdk.Core.Diagnosis;
using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace CdpSdk.Testing;

/// <summary>
/// Marks a test as a witness that a diagnosis of the catalogue is reached on its target, from a failure a
/// real adapter raised. The mark checks itself: after the test passes, it fails unless the test saw that
/// diagnosis (<see cref="CatalogueCoverage.Reached"/>), so a witness cannot drift from what it names.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ReachesAttribute(string code) : Attribute, ITestAction
{
    public string Code { get; } = code;

    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test) { }

    public void AfterTest(ITest test)
    {
        if (TestContext.CurrentContext.Result.Outcome.Status != TestStatus.Passed) return;
        var seen = CatalogueCoverage.SeenBy(test.Id);
        if (!seen.Contains(Code))
            Assert.Fail($"{test.Name} is marked [Reaches({Code})] but saw {(seen.Count == 0 ? "no diagnosis" : string.Join(", ", seen))}.");
    }
}

/// <summary>
/// Which diagnoses the tests of one target reach: each test records the diagnoses it saw; the catalogue's
/// coverage test finds, for every code, the witness tests that name it.
/// </summary>
internal static class CatalogueCoverage
{
    static readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> ByTest = new();

    /// <summary>Records that the running test saw the diagnosis <paramref name="code"/>.</summary>
    public static void Reached(string code) =>
        ByTest.GetOrAdd(TestContext.CurrentContext.Test.ID, _ => new())[code] = true;

    public static IReadOnlyCollection<string> SeenBy(string testId) =>
        ByTest.TryGetValue(testId, out var seen) ? seen.Keys.Order(StringComparer.Ordinal).ToList() : [];

    /// <summary>The tests of <paramref name="assembly"/> marked as reaching <paramref name="code"/>, as Class.Method.</summary>
    public static IReadOnlyList<string> Witnesses(Assembly assembly, string code) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Select(m => (Type: t, Method: m)))
            .Where(x => x.Method.GetCustomAttributes<ReachesAttribute>().Any(r => r.Code == code)
                && x.Method.GetCustomAttributes().Any(a => a is TestAttribute or TestCaseAttribute or TestCaseSourceAttribute))
            .Select(x => $"{x.Type.Name}.{x.Method.Name}")
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Every diagnosis code of the catalogue, the unrecognised one included (a failure no adapter typed).</summary>
    public static IEnumerable<string> Codes => DiagnosisCatalog.Codes.Append(DiagnosisCatalog.Unknown);
}

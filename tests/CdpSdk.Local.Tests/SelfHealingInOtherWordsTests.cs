namespace CdpSdk.Local.Tests;

/// <summary>
/// Every self-healing scenario of the Local target again, with every message of the Local adapter that a
/// diagnosed failure carries (LocalMessages) replaced by words that name nothing: no task, table, column,
/// status, file or variable, and none of DuckDB's words. The diagnoses, decisions and fixes are the same:
/// they follow the causes the adapter recorded, decided from DuckDB's own error before our words wrap it.
/// </summary>
[NonParallelizable]
public sealed class SelfHealingInOtherWordsTests : SelfHealingTests
{
    const string Marker = "anders gesagt";

    static readonly LocalMessages OtherWords = new(
        SqlFailed: (_, _, _) => $"Die Abfrage ging nicht ({Marker}).",
        HttpFailed: (_, _, _, _, _) => $"Keine gute Antwort ({Marker}).",
        AuthHeaderUnset: (_, _) => $"Es fehlt etwas ({Marker}).",
        WorkflowNotYaml: (_, _, _, _) => $"Unlesbar ({Marker}).",
        WarehouseBusy: (_, _) => $"Besetzt ({Marker}).");

    IDisposable? _words;

    [SetUp]
    public void UseOtherWords() => _words = LocalMessages.Use(OtherWords);

    [TearDown]
    public void RestoreWords() => _words?.Dispose();

    /// <summary>The failure reads in the other words, and none of the words the English table would have given.</summary>
    protected override void AssertWords(string message, params string[] words)
    {
        Assert.That(message, Does.Contain(Marker));
        foreach (var word in words) Assert.That(message, Does.Not.Contain(word));
    }

    [Test]
    public void TheOtherWordsAreInUse() =>
        Assert.That(LocalMessages.Current.SqlFailed("+t", "db", "Binder Error: Referenced column \"x\" not found"), Does.Contain(Marker).And.Not.Contain("x"));
}

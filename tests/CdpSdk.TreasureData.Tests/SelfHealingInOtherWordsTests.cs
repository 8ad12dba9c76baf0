using CdpSdk.Core.Diagnostics;

namespace CdpSdk.TreasureData.Tests;

/// <summary>
/// Every self-healing scenario of the TD target again, with every message the TD target writes for its own
/// failures replaced by words that name nothing (no status, no table, no key). The diagnoses, decisions and
/// fixes are the same: they follow the failures' causes, never their wording.
/// </summary>
public sealed class SelfHealingInOtherWordsTests : SelfHealingTests
{
    static readonly TdMessages OtherWords = new(
        NoAnswer: (_, _, _, _) => "Keine Antwort.",
        KeyRefused: (_, _, _, _, _, _) => "Abgelehnt.",
        KeptFailing: (_, _, _, _) => "Immer noch nicht.",
        Rejected: (_, _, _, _) => "Nein.",
        MissingDatabases: (_, _) => "Es fehlt etwas.",
        MissingSecrets: (_, _, _) => "Es fehlt etwas anderes.");

    IDisposable? _words;

    [SetUp]
    public void UseOtherWords() => _words = TdMessages.Use(OtherWords);

    [TearDown]
    public void RestoreWords() => _words?.Dispose();

    [Test]
    public void TheOtherWordsAreInUse() =>
        Assert.That(TdMessages.Current.Rejected("workflow", "PUT api/projects", 400, "x"), Is.EqualTo("Nein."));
}

using System.Text;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Loading;

namespace CdpSdk.Local.Tests;

/// <summary>The UTF-8 check names the line and byte of the first bad byte wherever it is, past the chunks its vectorised search accepted too.</summary>
public sealed class TextFileCheckTests
{
    string _file = "";

    [SetUp]
    public void SetUp() => _file = Path.Combine(Path.GetTempPath(), "cdp-textcheck-" + Guid.NewGuid().ToString("N")[..8] + ".csv");

    [TearDown]
    public void TearDown() => File.Delete(_file);

    // About 2.4 MiB of lines of 60 bytes with a two-byte character each, so chunks (1 MiB) end inside a line and inside a character.
    static byte[] Lines(int count) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, count).Select(Line)));

    static string Line(int i) => $"{i:D7},josé{i % 97:D2}@example.com,555 000 1234,2024-01-01 00:00:00\n";

    [Test]
    public void ACleanFileOfManyChunksPasses()
    {
        var bytes = Lines(40_000);
        File.WriteAllBytes(_file, bytes);
        Assert.That(TextFileCheck.Check(_file, "data/x.csv"), Is.EqualTo(bytes.Length));
    }

    [TestCase(0xE9, "0xE9", TestName = "a Latin-1 byte")]
    [TestCase(0x00, "binary", TestName = "a NUL byte")]
    [TestCase(0x1B, "binary", TestName = "an escape byte")]
    public void ABadByteInALaterChunkIsNamedByItsLineAndByte(int bad, string said)
    {
        var lines = Lines(40_000);
        // Line 30,001 starts after 30,000 lines; the bad byte replaces its 9th byte (the 'j' of josé).
        var lineStart = Lines(30_000).Length;
        lines[lineStart + 8] = (byte)bad;
        File.WriteAllBytes(_file, lines);

        var e = Assert.Throws<CdpException>(() => TextFileCheck.Check(_file, "data/x.csv"))!;

        Assert.That(e.Diagnostic.Code, Is.EqualTo("CDP3020"));
        Assert.That(e.Message, Does.Contain("line 30001").And.Contain(said).And.Contain("byte 9 of the line"));
    }
}

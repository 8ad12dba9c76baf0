using CdpSdk.Core.Text;

namespace CdpSdk.Core.Tests.Text;

public sealed class LineDiffTests
{
    [Test]
    public void OneChangedLineIsShownWithItsContext()
    {
        var before = "a\nb\nc\nd\ne\nf\ng\n";
        var after = "a\nb\nc\nD\ne\nf\ng\n";
        Assert.That(LineDiff.Unified(before, after, "generated/q.sql", "edited/q.sql"), Is.EqualTo(
            "--- generated/q.sql\n+++ edited/q.sql\n@@ -2,5 +2,5 @@\n b\n c\n-d\n+D\n e\n f\n"));
    }

    [Test]
    public void DistantChangesGetTheirOwnHunksAndInsertionsCount()
    {
        var lines = Enumerable.Range(1, 20).Select(i => i.ToString()).ToList();
        var before = string.Join("\n", lines) + "\n";
        var edited = lines.Select(l => l == "17" ? "seventeen" : l).ToList();
        edited.Insert(3, "new");
        var after = string.Join("\n", edited) + "\n";
        var diff = LineDiff.Unified(before, after, "a", "b");
        Assert.That(diff, Does.Contain("@@ -2,4 +2,5 @@\n 2\n 3\n+new\n 4\n 5\n"));
        Assert.That(diff, Does.Contain("@@ -15,5 +16,5 @@\n 15\n 16\n-17\n+seventeen\n 18\n 19\n"));
    }

    [Test]
    public void LongDiffsStopAfterTheLimitAndSayHowMuchIsLeft()
    {
        var before = string.Join("\n", Enumerable.Range(1, 40)) + "\n";
        var after = string.Join("\n", Enumerable.Range(1, 40).Select(i => $"x{i}")) + "\n";
        var diff = LineDiff.Unified(before, after, "a", "b", maxLines: 5);
        Assert.That(diff.Split('\n').Count(l => l.StartsWith('-') && !l.StartsWith("---")), Is.EqualTo(5));
        Assert.That(diff, Does.EndWith("… (75 more changed line(s))\n"));
    }

    [Test]
    public void EqualTextsHaveNoDiff() => Assert.That(LineDiff.Unified("x\n", "x\n", "a", "b"), Is.Empty);
}

using System.Text;

namespace CdpSdk.Core.Text;

/// <summary>
/// A short unified diff of two texts, for an error message that shows what a hand edit changed. Lines
/// shared at both ends are trimmed first, so a small edit of a large file costs little; what is left is
/// compared by longest common subsequence, and the output stops after a few lines.
/// </summary>
public static class LineDiff
{
    /// <summary>Beyond this many cells the middle is shown as removed then added instead of aligned line by line.</summary>
    const long MaxCells = 1_000_000;

    /// <param name="maxLines">Lines of hunk body shown at most; a final line says how many more differ.</param>
    public static string Unified(string before, string after, string beforeName, string afterName, int context = 2, int maxLines = 12)
    {
        var a = Lines(before);
        var b = Lines(after);
        var ops = Script(a, b);
        var changed = Enumerable.Range(0, ops.Count).Where(i => ops[i].Kind != ' ').ToList();
        if (changed.Count == 0) return "";

        var text = new StringBuilder().Append("--- ").Append(beforeName).Append('\n').Append("+++ ").Append(afterName).Append('\n');
        var shown = 0;
        var i = 0;
        while (i < changed.Count)
        {
            // A hunk runs from `context` lines before a change to `context` after the last change that is close enough to join it.
            var start = Math.Max(0, changed[i] - context);
            var j = i;
            while (j + 1 < changed.Count && changed[j + 1] - changed[j] <= 2 * context) j++;
            var end = Math.Min(ops.Count - 1, changed[j] + context);
            var hunk = ops.GetRange(start, end - start + 1);
            text.Append($"@@ -{ops[start].Old + 1},{hunk.Count(o => o.Kind != '+')} +{ops[start].New + 1},{hunk.Count(o => o.Kind != '-')} @@\n");
            for (var k = start; k <= end; k++)
            {
                if (shown == maxLines)
                    return text.Append($"… ({changed.Count(c => c >= k)} more changed line(s))\n").ToString();
                text.Append(ops[k].Kind).Append(ops[k].Line).Append('\n');
                shown++;
            }
            i = j + 1;
        }
        return text.ToString();
    }

    /// <summary>One line of the edit script: ' ' kept, '-' removed, '+' added, with its index in each text (of the next line for the other side).</summary>
    readonly record struct Op(char Kind, string Line, int Old, int New);

    static string[] Lines(string text)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    static List<Op> Script(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;

        var ops = new List<Op>();
        for (var k = 0; k < prefix; k++) ops.Add(new(' ', a[k], k, k));
        Middle(a, b, prefix, a.Length - suffix, prefix, b.Length - suffix, ops);
        for (var k = suffix; k > 0; k--) ops.Add(new(' ', a[^k], a.Length - k, b.Length - k));
        return ops;
    }

    static void Middle(string[] a, string[] b, int a0, int a1, int b0, int b1, List<Op> ops)
    {
        int n = a1 - a0, m = b1 - b0;
        if ((long)n * m > MaxCells)
        {
            for (var k = a0; k < a1; k++) ops.Add(new('-', a[k], k, b0));
            for (var k = b0; k < b1; k++) ops.Add(new('+', b[k], a1, k));
            return;
        }
        // lcs[i, j]: longest common subsequence of a[a0+i..a1) and b[b0+j..b1).
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
            for (var j = m - 1; j >= 0; j--)
                lcs[i, j] = a[a0 + i] == b[b0 + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[a0 + x] == b[b0 + y]) { ops.Add(new(' ', a[a0 + x], a0 + x, b0 + y)); x++; y++; }
            // Removals before additions, as diff(1) prints them.
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) { ops.Add(new('-', a[a0 + x], a0 + x, b0 + y)); x++; }
            else { ops.Add(new('+', b[b0 + y], a0 + x, b0 + y)); y++; }
        }
    }
}

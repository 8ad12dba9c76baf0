using System.Text.RegularExpressions;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>
/// TD's five unify.yml samples (treasure-boxes tool-box/id-unification-samples, their ${td.*} variables filled
/// with the samples' own settings) in TdSamples/, variants of them, and our verdict on a text.
/// </summary>
static partial class TdSampleConfigs
{
    public static string Sample(int n) => File.ReadAllText(RepoPaths.Of($"tests/CdpSdk.Core.Tests/Configuration/TdSamples/unification_ex{n}.yml")).ReplaceLineEndings("\n");

    [GeneratedRegex(@"^      - name: (\w+)")]
    private static partial Regex AttributeLine();

    [GeneratedRegex(@"priority: \d+")]
    private static partial Regex Priority();

    /// <summary>
    /// A sample as TD's validator accepts it without a finding: each master source column names its column
    /// (the attribute's, which TD reads when it is left out) and has a priority of its own.
    /// </summary>
    public static string Validated(int n)
    {
        var (attribute, priority) = ("", 0);
        var lines = Sample(n).Split('\n').Select(line =>
        {
            if (AttributeLine().Match(line) is { Success: true } m) (attribute, priority) = (m.Groups[1].Value, 0);
            if (!line.Contains("- {table:", StringComparison.Ordinal)) return line;
            priority++;
            return Priority().Replace(line.Replace("- {table:", $"- {{column: {attribute}, table:"), $"priority: {priority}");
        });
        return string.Join('\n', lines);
    }

    /// <summary>ex1 with its id as a persistent id.</summary>
    public static string Persistent(string text) => text.Replace("canonical_ids:", "persistent_ids:").Replace("    canonical_id: ", "    persistent_id: ")
        .Replace("merge_by_canonical_ids", "merge_by_persistent_ids").Replace("source_canonical_id", "source_persistent_id");

    /// <summary><paramref name="text"/> with <paramref name="old"/>, which must occur exactly once, replaced.</summary>
    public static string Once(this string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        if (at < 0 || text.IndexOf(old, at + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{old}' does not occur exactly once");
        return text[..at] + replacement + text[(at + old.Length)..];
    }

    /// <summary>Our findings on a unify.yml text, read the way a CdpUnification with UnifyYml reads it.</summary>
    public static (IReadOnlyList<Diagnostic> Diagnostics, UnificationSpec Spec) Check(string yml, string folder)
    {
        var path = Path.Combine(folder, "unify.yml");
        File.WriteAllText(path, yml);
        var ctx = new ReadContext(new RawProject(Path.Combine(folder, "p.cdpproj"), new Dictionary<string, RawProperty>(), [], [], []));
        var spec = UnifyYmlReader.Read(ctx, "fallback", path, new SourceLocation(Path.Combine(folder, "p.cdpproj"), 1, 1));
        return (ctx.Diagnostics, spec);
    }
}

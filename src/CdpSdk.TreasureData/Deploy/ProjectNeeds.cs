using System.Text.RegularExpressions;

namespace CdpSdk.TreasureData.Deploy;

/// <summary>
/// What a workflow project needs on TD before it can run, read from its files: the project secrets its
/// <c>${secret:key}</c> references name, and the databases its tasks read or write that it does not create
/// itself (<c>td_ddl&gt;</c> create_databases) — those must exist before the first attempt.
/// </summary>
public sealed partial record ProjectNeeds(IReadOnlyList<string> Secrets, IReadOnlyList<string> Databases)
{
    [GeneratedRegex(@"\$\{secret:([A-Za-z0-9_.\-]+)\}")]
    private static partial Regex SecretReference();

    [GeneratedRegex(@"^\s*(?:-\s*)?database:\s*['""]?([a-z0-9_]+)['""]?\s*(?:#.*)?$", RegexOptions.Multiline)]
    private static partial Regex DatabaseKey();

    [GeneratedRegex(@"^\s*create_databases:\s*\[([^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex CreatedDatabases();

    public static ProjectNeeds Read(IEnumerable<ArchiveEntry> entries)
    {
        var secrets = new SortedSet<string>(StringComparer.Ordinal);
        var used = new SortedSet<string>(StringComparer.Ordinal);
        var created = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries.Where(e => e.Name.EndsWith(".dig") || e.Name.EndsWith(".yml") || e.Name.EndsWith(".yaml")))
        {
            var text = File.ReadAllText(e.FullPath);
            foreach (Match m in SecretReference().Matches(text)) secrets.Add(m.Groups[1].Value);
            foreach (Match m in DatabaseKey().Matches(text)) used.Add(m.Groups[1].Value);
            foreach (Match m in CreatedDatabases().Matches(text))
                foreach (var name in m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    created.Add(name.Trim('\'', '"'));
        }
        return new ProjectNeeds(secrets.ToList(), used.Where(d => !created.Contains(d)).ToList());
    }
}

using CdpSdk.Core.Model;
using CdpSdk.Core.Text;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Finds what the project file writes but the SDK does not know: misspelt Cdp properties, item types
/// and metadata, and API keys put where they would be logged.
/// </summary>
internal static class DeclaredNamesCheck
{
    static readonly string[] SecretLike = ["apikey", "api_key", "td_api_key", "secret", "password", "token"];

    /// <summary>
    /// Properties of ours that only the SDK sets, and the step hooks users extend. The hooks are whole
    /// names, not prefixes: a prefix such as "CdpMonitor" would also hide a misspelt CdpMonitorTimeout.
    /// </summary>
    static readonly string[] InternalPrefixes = ["_Cdp", "CdpSdk", "UsingCdpSdk", "CustomBeforeCdp", "CustomAfterCdp", "Cdp" + "GenerateDependsOn", "Cdp" + "DeployDependsOn", "Cdp" + "ExecuteDependsOn", "Cdp" + "MonitorDependsOn", "Cdp" + "ValidateDependsOn", "CdpPipelineDependsOn"];

    public static void Run(ReadContext ctx)
    {
        foreach (var p in ctx.Project.DeclaredProperties)
        {
            // The SDK's own properties are never secrets (CdpSecretsFile names a file, it holds no value).
            if (SecretLike.Any(s => p.Name.Contains(s, StringComparison.OrdinalIgnoreCase)) && !p.Name.StartsWith('_') && SettingsCatalog.FindProperty(p.Name) is null)
            {
                ctx.Error("CDP0004", $"Property '{p.Name}' looks like a secret. Secrets never go in project files (they end up in logs): set the TD_API_KEY environment variable or use ~/.td/td.conf, and remove this property.", p.Location);
                continue;
            }
            if (!p.Name.StartsWith("Cdp", StringComparison.Ordinal) || InternalPrefixes.Any(x => p.Name.StartsWith(x, StringComparison.Ordinal))) continue;
            if (SettingsCatalog.FindProperty(p.Name) is null)
                ctx.Error("CDP0001", $"Unknown property '{p.Name}'.{Suggest(p.Name, SettingsCatalog.Properties.Select(x => x.Name))}", p.Location);
        }

        foreach (var item in ctx.Project.DeclaredItems.Where(i => i.ItemType.StartsWith("Cdp", StringComparison.Ordinal)))
        {
            var setting = SettingsCatalog.FindItem(item.ItemType);
            if (setting is null)
            {
                ctx.Error("CDP0002", $"Unknown item type '{item.ItemType}'.{Suggest(item.ItemType, SettingsCatalog.Items.Select(x => x.Name))}", item.Location);
                continue;
            }
            foreach (var meta in item.Metadata.Keys.Where(m => setting.Metadata.All(x => !x.Name.Equals(m, StringComparison.OrdinalIgnoreCase))))
                ctx.Error("CDP0003", $"{item.ItemType} '{item.Identity}' has unknown metadata '{meta}'.{Suggest(meta, setting.Metadata.Select(x => x.Name))}", item.Location);
        }
    }

    /// <summary>" Did you mean X?" for the closest known name, when one is close enough.</summary>
    internal static string Suggest(string name, IEnumerable<string> known)
    {
        var names = known.ToList();
        var best = EditDistance.Closest(name, names, 1).FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, name.Length / 3) ? $" Did you mean '{best.Name}'?" : $" Known names: {string.Join(", ", names)}.";
    }
}

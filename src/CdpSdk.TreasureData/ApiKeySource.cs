using CdpSdk.Core.Configuration;

namespace CdpSdk.TreasureData;

/// <summary>
/// Finds the TD API key the way the TD toolbelt does: the TD_API_KEY environment variable, then
/// <c>apikey</c> in the <c>[account]</c> section of <c>~/.td/td.conf</c>. Never from an MSBuild property,
/// because properties end up in logs and binlogs.
/// </summary>
public static class ApiKeySource
{
    public const string EnvironmentVariable = "TD_API_KEY";

    public static ApiKey? Find(Func<string, string?> environment, string? homeDirectory)
    {
        var fromEnv = environment(EnvironmentVariable)?.Trim();
        if (!string.IsNullOrEmpty(fromEnv))
            return new ApiKey(fromEnv, "environment variable " + EnvironmentVariable);

        if (string.IsNullOrEmpty(homeDirectory)) return null;
        var conf = Path.Combine(homeDirectory, ".td", "td.conf");
        if (!File.Exists(conf)) return null;
        var fromConf = ReadTdConf(File.ReadAllLines(conf));
        return string.IsNullOrEmpty(fromConf) ? null : new ApiKey(fromConf, conf);
    }

    public static ApiKey? FromProcess() =>
        Find(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Reads <c>apikey = …</c> from the <c>[account]</c> section of td.conf (an INI file).</summary>
    internal static string? ReadTdConf(IEnumerable<string> lines)
    {
        var inAccount = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) { inAccount = line.Equals("[account]", StringComparison.OrdinalIgnoreCase); continue; }
            if (!inAccount) continue;
            var eq = line.IndexOf('=');
            if (eq > 0 && line[..eq].Trim().Equals("apikey", StringComparison.OrdinalIgnoreCase))
                return line[(eq + 1)..].Trim();
        }
        return null;
    }
}

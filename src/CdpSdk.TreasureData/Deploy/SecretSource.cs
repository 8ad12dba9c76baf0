using System.Text.Json;
using System.Text.RegularExpressions;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.TreasureData.Deploy;

/// <summary>
/// Where project secret values come from, read inside the task and never logged: <c>td.apikey</c> is the
/// build's own TD API key (the unification call authenticates with it); any other key comes from the
/// environment variable <c>CDP_SECRET_&lt;KEY&gt;</c> (upper case, '.' as "__", '-' as '_') or from the
/// JSON object in CdpSecretsFile, the environment winning.
/// </summary>
public sealed partial class SecretSource(ApiKey apiKey, string secretsFile, Func<string, string?> environment)
{
    public const string ApiKeySecret = "td.apikey";
    public const string EnvironmentPrefix = "CDP_SECRET_";

    /// <summary>Digdag's rule: dot-separated segments of a letter, then letters, digits, '_' or '-', not ending in '-' or '_'.</summary>
    [GeneratedRegex(@"^[A-Za-z]([A-Za-z0-9_\-]*[A-Za-z0-9])?(\.[A-Za-z]([A-Za-z0-9_\-]*[A-Za-z0-9])?)*$")]
    private static partial Regex KeyPattern();

    public const int MaxValueBytes = 16 * 1024;

    IReadOnlyDictionary<string, string>? _file;

    public static bool IsValidKey(string key) => key.Length <= 255 && KeyPattern().IsMatch(key);

    public static string EnvironmentName(string key) => EnvironmentPrefix + key.ToUpperInvariant().Replace(".", "__").Replace('-', '_');

    public string? Find(string key)
    {
        if (key == ApiKeySecret) return apiKey.Value;
        var fromEnv = environment(EnvironmentName(key));
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        return File().TryGetValue(key, out var v) ? v : null;
    }

    IReadOnlyDictionary<string, string> File()
    {
        if (_file is not null) return _file;
        if (secretsFile.Length == 0 || !System.IO.File.Exists(secretsFile)) return _file = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(secretsFile));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the top level is not an object");
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new CdpException("CDP0202", $"CdpSecretsFile: the value of '{p.Name}' must be a string.", new SourceLocation(secretsFile));
                values[p.Name] = p.Value.GetString()!;
            }
            return _file = values;
        }
        catch (JsonException e)
        {
            // The parser's message may quote file content; give only the position.
            throw new CdpException("CDP0202", $"CdpSecretsFile is not a JSON object of string values (line {e.LineNumber + 1}). Fix the file; its values are not shown here.", new SourceLocation(secretsFile));
        }
    }
}

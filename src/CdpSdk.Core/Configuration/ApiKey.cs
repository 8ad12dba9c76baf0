using System.Text.RegularExpressions;

namespace CdpSdk.Core.Configuration;

/// <summary>A TD API key and where it came from. Never log <see cref="Value"/>: use <see cref="Masked"/>.</summary>
public sealed partial record ApiKey(string Value, string Origin)
{
    public string Masked => Mask(Value);

    public override string ToString() => Masked;

    public static string Mask(string key) => "****" + (key.Length >= 4 ? key[^4..] : "");

    /// <summary>TD's key shape, &lt;user id&gt;/&lt;key&gt;: checked when the configuration is read, wherever the key came from.</summary>
    public static bool IsWellFormed(string key) => KeyPattern().IsMatch(key);

    [GeneratedRegex("^[0-9]+/[A-Za-z0-9]+$")]
    private static partial Regex KeyPattern();
}

using System.Text.RegularExpressions;

namespace CdpSdk.Core.Configuration;

/// <summary>What TD accepts as names; everything the generator puts in SQL passes one of these first.</summary>
public static partial class NameRules
{
    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex ClientPattern();

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex DatabasePattern();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex TablePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex SymbolPattern();

    public static bool IsClient(string s) => s.Length <= 64 && ClientPattern().IsMatch(s);

    /// <summary>TD database names: lowercase letters, digits and underscore, 3 to 256 characters.</summary>
    public static bool IsDatabase(string s) => s.Length is >= 3 and <= 256 && DatabasePattern().IsMatch(s);

    public static bool IsTable(string s) => s.Length <= 128 && TablePattern().IsMatch(s);

    /// <summary>A SQL symbol: column, key and unification names.</summary>
    public static bool IsSymbol(string s) => s.Length <= 128 && SymbolPattern().IsMatch(s);

    public static IReadOnlyList<string> SplitList(string text) =>
        text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

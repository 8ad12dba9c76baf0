namespace CdpSdk.Core.Configuration;

/// <summary>
/// The character sets a CdpObject's Encoding may name: the ones TD's file parser (Embulk csv, Java charset
/// names) and .NET both decode, spelled as Java spells them, since the name goes into the load config TD reads.
/// </summary>
public static class CsvCharsets
{
    public static readonly IReadOnlyList<string> Names = ["UTF-8", "ISO-8859-1", "windows-1252", "Shift_JIS", "EUC-JP", "windows-31j"];

    public static bool IsKnown(string name) => Names.Contains(name, StringComparer.OrdinalIgnoreCase);

    public static string Canonical(string name) => Names.First(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
}

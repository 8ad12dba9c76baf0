using System.Text.RegularExpressions;

namespace CdpSdk.Local.Presto;

/// <summary>
/// Presto's name for a DuckDB type, what typeof() says on TD (schema checks and the report compare these
/// names). A type Presto has no plain name for here is an error, never a guess.
/// </summary>
internal static partial class PrestoTypes
{
    static readonly Dictionary<string, string> Scalars = new(StringComparer.Ordinal)
    {
        ["BIGINT"] = "bigint", ["INTEGER"] = "integer", ["SMALLINT"] = "smallint", ["TINYINT"] = "tinyint",
        ["DOUBLE"] = "double", ["FLOAT"] = "real", ["BOOLEAN"] = "boolean", ["VARCHAR"] = "varchar",
        // DuckDB's sum() of integers is a HUGEINT; Presto's sum(bigint) a bigint.
        ["HUGEINT"] = "bigint",
        ["DATE"] = "date", ["JSON"] = "json", ["\"NULL\""] = "unknown", ["NULL"] = "unknown",
    };

    [GeneratedRegex(@"^DECIMAL\((\d+),(\d+)\)$")]
    private static partial Regex Decimal();

    public static string Name(string duckDbType)
    {
        if (Scalars.TryGetValue(duckDbType, out var name)) return name;
        if (Decimal().Match(duckDbType) is { Success: true } d) return $"decimal({d.Groups[1].Value},{d.Groups[2].Value})";
        if (duckDbType.EndsWith("[]", StringComparison.Ordinal)) return $"array({Name(duckDbType[..^2])})";
        throw new InvalidOperationException($"{PrestoErrors.UnsupportedFunction}: typeof: the Local engine has no Presto name for DuckDB's type {duckDbType}.");
    }
}

namespace CdpSdk.Local.Presto;

/// <summary>CDP304x: what the Presto layer of the Local engine refuses rather than answer differently from TD (docs/errors.md).</summary>
public static class PrestoErrors
{
    /// <summary>A Presto function (or a form of one) the layer cannot run with Presto's meaning.</summary>
    public const string UnsupportedFunction = "CDP3040";

    /// <summary>A date format (MySQL-style for date_parse/date_format, Java-style for TD_TIME_FORMAT) with a specifier the layer cannot honour.</summary>
    public const string UnsupportedFormat = "CDP3041";

    /// <summary>DuckDB rejected or failed the (rewritten) Presto query.</summary>
    public const string QueryFailed = "CDP3042";

    /// <summary>DuckDB's native library did not load inside the build.</summary>
    public const string EngineUnavailable = "CDP3043";

    /// <summary>The code a message from inside DuckDB carries when one of the layer's functions refused a value at run time.</summary>
    internal static string? CodeIn(string message)
    {
        foreach (var code in new[] { UnsupportedFunction, UnsupportedFormat })
            if (message.Contains(code, StringComparison.Ordinal)) return code;
        return null;
    }
}

namespace CdpSdk.Local.Presto;

/// <summary>
/// The time zone names TD's UDFs take: IANA names, UTC/GMT, and the short Java ids TD's documentation uses
/// (JST, PST/PDT). An unknown name is refused: the JVM would silently read it as GMT.
/// </summary>
internal static class TdZones
{
    static readonly Dictionary<string, string> Short = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UTC"] = "UTC", ["GMT"] = "UTC", ["Z"] = "UTC", ["JST"] = "Asia/Tokyo",
        ["PST"] = "America/Los_Angeles", ["PDT"] = "America/Los_Angeles",
    };

    public static TimeZoneInfo Find(string zone)
    {
        var id = Short.TryGetValue(zone.Trim(), out var known) ? known : zone.Trim();
        if (id == "UTC") return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"{PrestoErrors.UnsupportedFormat}: the time zone '{zone}' is not known to the Local engine; use an IANA name such as 'Asia/Tokyo' or 'UTC'.", e);
        }
    }

    /// <summary>The IANA id for the names TdTimeFunctions.Parse reads.</summary>
    public static string Id(string zone) => Find(zone) is var tz && tz == TimeZoneInfo.Utc ? "UTC" : tz.Id;
}

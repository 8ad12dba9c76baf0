using System.Globalization;
using System.Net;
using RestSharp;

namespace CdpSdk.TreasureData.Http;

/// <summary>Which responses are worth retrying, and how long the server asked us to wait.</summary>
public static class RetryAfter
{
    /// <summary>408, 429 and 5xx, and no response at all (connection refused, reset or timed out).</summary>
    public static bool IsTransient(RestResponse r) =>
        r.StatusCode == 0
        || r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || (int)r.StatusCode >= 500;

    /// <summary>The wait a Retry-After header asks for: delta seconds or an HTTP date; null when absent or unreadable.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds < 0 ? null : Clamp(TimeSpan.FromSeconds(seconds));
        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date))
            return Clamp(date - now < TimeSpan.Zero ? TimeSpan.Zero : date - now);
        return null;
    }

    public static TimeSpan? From(RestResponse r, DateTimeOffset now) =>
        Parse(r.Headers?.FirstOrDefault(h => string.Equals(h.Name, "Retry-After", StringComparison.OrdinalIgnoreCase))?.Value, now);

    static TimeSpan Clamp(TimeSpan t) => t > HttpPolicy.MaxRetryAfter ? HttpPolicy.MaxRetryAfter : t;
}

using CdpSdk.Core.Model;

namespace CdpSdk.TreasureData.Http;

/// <summary>Timeout and retry settings of every TD API call.</summary>
public sealed record HttpPolicy(TimeSpan Timeout, int MaxRetries, TimeSpan RetryDelay)
{
    /// <summary>Retry-After is honoured up to this long; beyond it TD is down for longer than a build should wait.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    public static HttpPolicy From(TreasureDataSettings s) => new(s.HttpTimeout, s.HttpMaxRetries, s.HttpRetryDelay);
}

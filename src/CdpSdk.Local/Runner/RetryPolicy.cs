using System.Globalization;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner;

/// <summary>Digdag's _retry: N, or {limit, interval (seconds), interval_type: constant | exponential}.</summary>
internal sealed record RetryPolicy(int Limit, double IntervalSeconds, bool Exponential)
{
    public static readonly RetryPolicy None = new(0, 0, false);

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): interval, or interval × 2^(n−1).</summary>
    public TimeSpan Wait(int retry) => TimeSpan.FromSeconds(Exponential ? IntervalSeconds * Math.Pow(2, retry - 1) : IntervalSeconds);

    public static RetryPolicy Parse(object? value, string where) => value switch
    {
        null => None,
        string s => new RetryPolicy(Int(s, "_retry", where), 0, false),
        OrderedDictionary<string, object?> map => new RetryPolicy(
            Int(Template.Render(map.GetValueOrDefault("limit") ?? "0"), "_retry.limit", where),
            Int(Template.Render(map.GetValueOrDefault("interval") ?? "0"), "_retry.interval", where),
            (Template.Render(map.GetValueOrDefault("interval_type")) ?? "") switch
            {
                "" or "constant" => false,
                "exponential" => true,
                var other => throw new CdpException(LocalErrors.BadTaskParameter, $"{where}: _retry.interval_type is constant or exponential, not '{other}'."),
            }),
        _ => throw new CdpException(LocalErrors.BadTaskParameter, $"{where}: _retry is a number or a mapping with limit, interval and interval_type."),
    };

    static int Int(string text, string name, string where) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
            : throw new CdpException(LocalErrors.BadTaskParameter, $"{where}: {name} must be a whole number, not '{text}'.");
}

namespace CdpSdk.Core.Fixes;

/// <summary>
/// Retries of a whole step: exponential backoff with full jitter (delay n is a random fraction of
/// base × multiplier^(n−1)), so builds that fail together do not retry together. Defaults 3 / 5 s / 2.
/// </summary>
public sealed record RetryPolicy(int MaxAttempts, TimeSpan BaseDelay, double Multiplier)
{
    public static readonly RetryPolicy Default = new(3, TimeSpan.FromSeconds(5), 2);

    /// <summary>The wait before attempt <paramref name="attempt"/> (2 = first retry); <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan DelayBefore(int attempt, double random)
    {
        var ceiling = BaseDelay.TotalMilliseconds * Math.Pow(Multiplier, attempt - 2);
        // Half fixed, half random: never immediate, never synchronised.
        return TimeSpan.FromMilliseconds(ceiling / 2 + ceiling / 2 * random);
    }

    /// <summary>
    /// Runs <paramref name="action"/> until it succeeds, fails with an error <paramref name="isRetryable"/>
    /// rejects, or the attempts are used up; <paramref name="onRetry"/> sees each retry before its wait.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<int, Task<T>> action, Func<Exception, bool> isRetryable,
        Action<int, Exception, TimeSpan>? onRetry = null, Func<TimeSpan, CancellationToken, Task>? delay = null,
        Func<double>? random = null, CancellationToken ct = default)
    {
        delay ??= Task.Delay;
        random ??= Random.Shared.NextDouble;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(attempt);
            }
            catch (Exception e) when (attempt < MaxAttempts && e is not OperationCanceledException && isRetryable(e))
            {
                var wait = DelayBefore(attempt + 1, random());
                onRetry?.Invoke(attempt + 1, e, wait);
                await delay(wait, ct);
            }
        }
    }
}

using CdpSdk.Core.Fixes;

namespace CdpSdk.Core.Tests.Fixes;

public sealed class RetryPolicyTests
{
    static readonly RetryPolicy Policy = new(3, TimeSpan.FromSeconds(5), 2);

    [Test]
    public void DelaysGrowExponentiallyWithJitterWithinBounds()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Policy.DelayBefore(2, 0.0), Is.EqualTo(TimeSpan.FromSeconds(2.5)));
            Assert.That(Policy.DelayBefore(2, 0.999), Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(Policy.DelayBefore(3, 0.0), Is.EqualTo(TimeSpan.FromSeconds(5)));
            Assert.That(Policy.DelayBefore(4, 0.0), Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public async Task TransientFailuresAreRetriedUntilSuccess()
    {
        var waits = new List<TimeSpan>();
        var retries = new List<int>();
        var result = await Policy.RunAsync(
            attempt => attempt < 3 ? throw new TimeoutException("503") : Task.FromResult(attempt),
            _ => true, (n, _, _) => retries.Add(n), (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, () => 0.5);

        Assert.That((result, retries, waits), Is.EqualTo((3, new List<int> { 2, 3 }, new List<TimeSpan> { TimeSpan.FromSeconds(3.75), TimeSpan.FromSeconds(7.5) })));
    }

    [Test]
    public void NonRetryableFailureIsNotRetried()
    {
        var attempts = 0;
        Assert.ThrowsAsync<UnauthorizedAccessException>(() => Policy.RunAsync<int>(
            _ => { attempts++; throw new UnauthorizedAccessException("401"); },
            e => e is TimeoutException, delay: (_, _) => Task.CompletedTask));
        Assert.That(attempts, Is.EqualTo(1));
    }

    [Test]
    public void GivesUpAfterMaxAttemptsWithTheLastError()
    {
        var attempts = 0;
        var e = Assert.ThrowsAsync<TimeoutException>(() => Policy.RunAsync<int>(
            n => { attempts++; throw new TimeoutException("attempt " + n); }, _ => true, delay: (_, _) => Task.CompletedTask));
        Assert.That((attempts, e!.Message), Is.EqualTo((3, "attempt 3")));
    }
}

using System.Globalization;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.TreasureData.Clients;
using CdpSdk.TreasureData.Fake;
using CdpSdk.TreasureData.Http;

namespace CdpSdk.TreasureData.Tests;

/// <summary>The HTTP layer against the fake over real HTTP: what is retried, how long it waits, what is not.</summary>
public sealed class HttpRetryTests
{
    FakeTdServer _server = null!;
    MemoryLog _log = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await FakeTdServer.StartAsync();
        _log = new MemoryLog();
    }

    [TearDown]
    public async Task TearDown() => await _server.DisposeAsync();

    WorkflowClient Client(string? key = null, double timeoutSeconds = 5, int retries = 4) =>
        new(new TdHttp("workflow", _server.BaseUrl, new ApiKey(key ?? _server.ApiKey, "test"),
            new HttpPolicy(TimeSpan.FromSeconds(timeoutSeconds), retries, TimeSpan.FromMilliseconds(10)), _log));

    [Test]
    public async Task ServerErrorsAndDroppedConnectionsAreRetriedUntilAnAnswer()
    {
        _server.Faults.Next(FaultKind.ServerError);
        _server.Faults.Next(FaultKind.Unavailable);
        _server.Faults.Next(FaultKind.DropBefore);
        var project = await Client().FindProjectAsync("absent", CancellationToken.None);

        Assert.That(project, Is.Null);
        Assert.That(_server.Requests, Is.EqualTo(4));
        Assert.That(_log.Lines.Count(l => l.Contains("retry")), Is.EqualTo(3));
    }

    [Test]
    public async Task TooManyRequestsWaitsAsLongAsRetryAfterSaysInSeconds()
    {
        _server.Faults.RetryAfter = "2";
        _server.Faults.Next(FaultKind.TooManyRequests);
        await Client().FindProjectAsync("absent", CancellationToken.None);

        Assert.That(_server.Requests, Is.EqualTo(2));
        Assert.That(_log.Lines, Has.One.Contains("HTTP 429").And.Contains("in 2.0 s"));
    }

    [Test]
    public void RetryAfterAsHttpDateIsTheTimeUntilThatDate()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Multiple(() =>
        {
            Assert.That(RetryAfter.Parse(now.AddSeconds(7).ToString("r", CultureInfo.InvariantCulture), now), Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(RetryAfter.Parse(now.AddSeconds(-7).ToString("r", CultureInfo.InvariantCulture), now), Is.EqualTo(TimeSpan.Zero));
            Assert.That(RetryAfter.Parse("3", now), Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(RetryAfter.Parse("86400", now), Is.EqualTo(HttpPolicy.MaxRetryAfter));
            Assert.That(RetryAfter.Parse("soon", now), Is.Null);
            Assert.That(RetryAfter.Parse(null, now), Is.Null);
        });
    }

    [Test]
    public async Task ASlowAnswerTimesOutAndIsRetried()
    {
        // A timeout well above a loopback answer on a loaded machine, and the slow answer well above it.
        _server.Faults.SlowDelay = TimeSpan.FromSeconds(5);
        _server.Faults.Next(FaultKind.Slow);
        var project = await Client(timeoutSeconds: 1.5).FindProjectAsync("absent", CancellationToken.None);

        Assert.That(project, Is.Null);
        Assert.That(_server.Requests, Is.EqualTo(2));
    }

    [Test]
    public void ClientErrorsAreNotRetried()
    {
        var client = Client();
        var e = Assert.ThrowsAsync<CdpException>(() => client.GetAttemptAsync("999999", CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2001"));
        Assert.That(e.Message, Does.Contain("HTTP 404").And.Contain("attempt not found"));
        Assert.That(_server.Requests, Is.EqualTo(1));
    }

    [Test]
    public void AFailedDirectLinkIsReportedWithoutItsSignature()
    {
        var file = new WfLogFile("none.log.gz", 10, "+wf+task", new WfDirect($"{_server.BaseUrl}/direct/logs/1/none.log.gz?signature=s3cr3tsig"));
        var e = Assert.ThrowsAsync<CdpException>(() => Client().ReadLogFileAsync("1", file, CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("/direct/logs/1/none.log.gz").And.Not.Contain("s3cr3tsig"));
        Assert.That(_server.DirectRequestsWithAuthorization, Is.Zero);
    }

    [Test]
    public void ARefusedKeyIsNotRetriedAndIsShownMasked()
    {
        const string wrong = "4242/ffffffffffffffffffffffffffffffffffff9876";
        var e = Assert.ThrowsAsync<CdpException>(() => Client(wrong).FindProjectAsync("x", CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2003"));
        Assert.That(e.Message, Does.Contain("****9876").And.Not.Contain(wrong));
        Assert.That(_server.Requests, Is.EqualTo(1));
    }

    [Test]
    public void PersistentServerErrorsGiveUpAfterTheConfiguredRetries()
    {
        _server.Faults.Next(FaultKind.Unavailable, 10);
        var e = Assert.ThrowsAsync<CdpException>(() => Client(retries: 3).FindProjectAsync("x", CancellationToken.None));

        Assert.That(e!.Diagnostic.Code, Is.EqualTo("CDP2004"));
        Assert.That(_server.Requests, Is.EqualTo(4));
    }

    [Test]
    public void CancellationStopsRetrying()
    {
        _server.Faults.RetryAfter = "30";
        _server.Faults.Next(FaultKind.TooManyRequests, 5);
        using var cancel = new CancellationTokenSource();
        var call = Client().FindProjectAsync("x", cancel.Token);
        // Cancel once the first answer (429, Retry-After 30 s) has arrived: the retry must not wait it out.
        SpinWait.SpinUntil(() => _server.Requests >= 1, TimeSpan.FromSeconds(30));
        cancel.Cancel();
        Assert.CatchAsync<OperationCanceledException>(() => call);
        Assert.That(_server.Requests, Is.EqualTo(1));
    }
}

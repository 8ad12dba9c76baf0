using CdpSdk.TreasureData.Fake;

namespace CdpSdk.TreasureData.Tests;

/// <summary>A fresh fake TD server and a TD project folder for every test, both removed afterwards.</summary>
public abstract class FakeTdTest
{
    private protected FakeTdServer _server = null!;
    private protected TdProject _project = null!;

    [SetUp]
    public async Task StartFakeTd()
    {
        _server = await FakeTdServer.StartAsync();
        _project = new TdProject(_server);
    }

    [TearDown]
    public async Task StopFakeTd()
    {
        _project.Dispose();
        await _server.DisposeAsync();
    }
}

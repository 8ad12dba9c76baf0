namespace CdpSdk.Local.Tests;

/// <summary>A fixture that gets a fresh copy of the retail sample for each test, deleted afterwards.</summary>
public abstract class RetailSampleTest
{
    internal RetailSample Sample { get; private set; } = null!;

    [SetUp]
    public void CreateSample() => Sample = new RetailSample();

    [TearDown]
    public void DisposeSample() => Sample.Dispose();
}

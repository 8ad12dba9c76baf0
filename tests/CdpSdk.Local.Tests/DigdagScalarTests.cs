using CdpSdk.Local.Runner;

namespace CdpSdk.Local.Tests;

/// <summary>
/// Plain scalars typed as Digdag's loader types them (digdag-core YamlTagResolver.java on SnakeYAML): the
/// Local runner must read a user's workflow or unify.yml as TD receives it.
/// </summary>
public sealed class DigdagScalarTests
{
    [TestCase("", null)]
    [TestCase("~", null)]
    [TestCase("NULL", null)]
    [TestCase("Null", null)]
    [TestCase("true", true)]
    [TestCase("False", false)]
    [TestCase("Yes", "Yes")]
    [TestCase("on", "on")]
    [TestCase("TRUE", "TRUE")]
    [TestCase("10:00:00", "10:00:00")]
    [TestCase("2024-01-01", "2024-01-01")]
    [TestCase("42", 42L)]
    [TestCase("-7", -7L)]
    [TestCase("0x1F", 31L)]
    [TestCase("017", 15L)]
    [TestCase("0b101", 5L)]
    [TestCase("1_000", 1000L)]
    [TestCase("1.5", 1.5)]
    [TestCase("1:30.5", 90.5)]
    [TestCase("3rd_*", "3rd_*")]
    [TestCase("a@ex.com", "a@ex.com")]
    public void APlainScalarIsTypedAsDigdagTypesIt(string text, object? expected) =>
        Assert.That(DigdagScalar.Resolve(text), Is.EqualTo(expected));

    [Test]
    public void AnIntegerTooLargeForALongKeepsItsDigits() =>
        Assert.That(DigdagScalar.Resolve("123456789012345678901234567890"), Is.EqualTo("123456789012345678901234567890"));
}

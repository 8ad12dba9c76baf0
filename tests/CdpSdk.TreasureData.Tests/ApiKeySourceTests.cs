using CdpSdk.Core.Configuration;

namespace CdpSdk.TreasureData.Tests;

public class ApiKeySourceTests
{
    string home = null!;

    [SetUp] public void CreateHome() => Directory.CreateDirectory(home = Path.Combine(Path.GetTempPath(), "cdp-home-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void DeleteHome() => Directory.Delete(home, recursive: true);

    void WriteTdConf(string content)
    {
        Directory.CreateDirectory(Path.Combine(home, ".td"));
        File.WriteAllText(Path.Combine(home, ".td", "td.conf"), content);
    }

    static Func<string, string?> Env(string? value) => name => name == "TD_API_KEY" ? value : null;

    [Test]
    public void EnvironmentVariableComesFirst()
    {
        WriteTdConf("[account]\n  user = me@example.com\n  apikey = 1/fromconf\n");
        var key = ApiKeySource.Find(Env(" 12345/fromenv "), home);
        Assert.That(key, Is.Not.Null);
        Assert.That((key!.Value, key.Origin), Is.EqualTo(("12345/fromenv", "environment variable TD_API_KEY")));
    }

    [Test]
    public void TdConfAccountSectionIsUsedWithoutTheVariable()
    {
        WriteTdConf("[other]\napikey = 9/wrong\n\n[Account]\n  user = me@example.com\n  apikey = 12345/fromconf\n  endpoint = https://api.treasuredata.com\n");
        var key = ApiKeySource.Find(Env(""), home);
        Assert.That(key, Is.Not.Null);
        Assert.That(key!.Value, Is.EqualTo("12345/fromconf"));
        Assert.That(key.Origin, Is.EqualTo(Path.Combine(home, ".td", "td.conf")));
    }

    [Test]
    public void NoVariableAndNoTdConfGivesNoKey()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ApiKeySource.Find(Env(null), home), Is.Null);
            Assert.That(ApiKeySource.Find(Env(null), null), Is.Null);
        });
    }

    [Test]
    public void TdConfWithoutAccountApiKeyGivesNoKey()
    {
        WriteTdConf("[account]\nuser = me@example.com\n[other]\napikey = 1/abc\n");
        Assert.That(ApiKeySource.Find(Env(null), home), Is.Null);
    }

    [Test]
    public void KeysAreMaskedToTheirLastFourCharacters()
    {
        var key = new ApiKey("12345/abcdefgh1234", "test");
        Assert.Multiple(() =>
        {
            Assert.That(key.Masked, Is.EqualTo("****1234"));
            Assert.That(key.ToString(), Is.EqualTo("****1234"));
            Assert.That(ApiKey.Mask("abc"), Is.EqualTo("****"));
            Assert.That($"{key}", Does.Not.Contain("abcdefgh"));
        });
    }

    [TestCase("12345/abcdef0123", true)]
    [TestCase("abcdef0123", false)]
    [TestCase("12345/abc def", false)]
    [TestCase("", false)]
    public void WellFormedKeysAreUserIdSlashKey(string key, bool wellFormed) =>
        Assert.That(ApiKey.IsWellFormed(key), Is.EqualTo(wellFormed));
}

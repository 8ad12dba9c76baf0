using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// obj/cdp/spec.json is how every step task of a build gets the resolved configuration: the model's records
/// (named init properties, required ones included) must read back exactly as they were written.
/// </summary>
public sealed class SpecFileTests
{
    [TestCaseSource(typeof(RetailSpecs), nameof(RetailSpecs.Dialects))]
    public void TheResolvedSampleReadsBackAsItWasWritten(string dialect)
    {
        var spec = RetailSpecs.For(dialect);
        Assert.That(spec.Checks, Is.Not.Empty, "the sample declares checks");
        Assert.That(spec.Tests, Is.Not.Empty, "the sample declares unit tests");
        var path = Path.Combine(Path.GetTempPath(), $"cdp-spec-{Guid.NewGuid():N}.json");
        try
        {
            var written = SpecFile.Serialize(spec);
            File.WriteAllText(path, written);
            var read = SpecFile.Read(path);
            Assert.That(SpecFile.Serialize(read), Is.EqualTo(written));
            Assert.That(read.Staging.Select(s => (s.Output, s.TransformSql, s.IncrementalField)), Is.EqualTo(spec.Staging.Select(s => (s.Output, s.TransformSql, s.IncrementalField))));
        }
        finally { File.Delete(path); }
    }
}

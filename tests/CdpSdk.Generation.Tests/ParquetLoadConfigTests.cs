using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// A Parquet object's td_load> config: a file input whose parser is parquet and nothing else (no CSV charset,
/// delimiter or header lines), compared with Golden/parquet/. Rewrite with CDP_UPDATE_GOLDEN=1 like the others.
/// </summary>
public sealed class ParquetLoadConfigTests
{
    [TestCase("config/web_signups_load.yml")]
    [TestCase("config/web_datasources.yml")]
    public void AParquetObjectGetsAParquetParserAndNoCsvSettings(string file)
    {
        var project = WorkflowGenerator.Generate(Variants.ParquetSignups(), Phase.Ingestion);
        var content = project.Files.Single(f => f.RelativePath == file).Content;
        var golden = Repo.Path("tests", "CdpSdk.Generation.Tests", "Golden", "parquet", "ingestion", file);
        if (Environment.GetEnvironmentVariable("CDP_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, content);
            Assert.Pass($"rewrote {golden}");
        }
        Assert.That(content, Is.EqualTo(File.ReadAllText(golden).ReplaceLineEndings("\n")));
        if (file.EndsWith("_load.yml"))
            Assert.That(content, Does.Contain("    type: parquet\n").And.Not.Contain("delimiter").And.Not.Contain("skip_header_lines"));
    }
}

using System.Xml.Linq;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Configuration.Schema;

namespace CdpSdk.Core.Tests.Schema;

/// <summary>What the README and the schemas promise exists in the SDK's MSBuild files.</summary>
public class SdkTargetsTests
{
    const string TargetsFile = "sdk/CdpSdk/build/CdpSdk.targets";

    /// <summary>CdpSdk.targets and the files it imports from build/ (CdpSdk.Test.targets), as one document.</summary>
    static XDocument Targets()
    {
        var path = RepoPaths.Of(TargetsFile);
        if (!File.Exists(path)) Assert.Ignore($"{TargetsFile} is not in this checkout.");
        var doc = XDocument.Load(path);
        foreach (var imported in Directory.GetFiles(Path.GetDirectoryName(path)!, "CdpSdk.*.targets"))
            doc.Root!.Add(XDocument.Load(imported).Root!.Elements());
        return doc;
    }

    [Test]
    public void EveryCatalogPropertyReachesTheConfigurationReader()
    {
        var passed = Targets().Descendants().Where(e => e.Name.LocalName == "_CdpProperty").Select(e => (string?)e.Attribute("Include")).ToList();
        Assert.That(SettingsCatalog.Properties.Select(p => p.Name), Is.SubsetOf(passed),
            $"every SettingsCatalog property must be passed as a _CdpProperty item in {TargetsFile}");
    }

    [Test]
    public void EveryCatalogItemTypeReachesTheConfigurationReader()
    {
        var text = File.ReadAllText(RepoPaths.Of(TargetsFile));
        Assert.That(SettingsCatalog.Items.Select(i => i.Name).Where(n => !text.Contains($"@({n})")), Is.Empty,
            $"item types of SettingsCatalog not passed to a task in {TargetsFile}");
    }

    [Test]
    public void DocumentedTargetsAndHooksExist()
    {
        var doc = Targets();
        // CdpSdk.targets imports the SDK's other target files (CdpSdk.Plan.targets …) from the same folder.
        var targets = Directory.GetFiles(Path.GetDirectoryName(RepoPaths.Of(TargetsFile))!, "*.targets").Select(XDocument.Load)
            .SelectMany(d => d.Descendants()).Where(e => e.Name.LocalName == "Target").Select(e => (string?)e.Attribute("Name")).ToList();
        // Hooks around the props (CustomBeforeCdpProps) are read in CdpSdk.props.
        var text = doc.ToString() + File.ReadAllText(RepoPaths.Of("sdk/CdpSdk/build/CdpSdk.props"));
        Assert.Multiple(() =>
        {
            Assert.That(SdkSurface.Targets.Select(t => t.Name), Is.SubsetOf(targets));
            Assert.That(SdkSurface.Hooks.Select(h => h.Name).Where(h => !text.Contains($"$({h})")), Is.Empty, "hooks the targets never read");
        });
    }
}

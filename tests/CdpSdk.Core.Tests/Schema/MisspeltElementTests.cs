using System.Xml;
using System.Xml.Schema;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Configuration.Schema;

namespace CdpSdk.Core.Tests.Schema;

/// <summary>
/// The standalone schema (cdpproj.xsd) flags misspelt Cdp elements (issue 14 item 8) while any other MSBuild
/// element passes, checked with System.Xml.Schema on the committed projects and on a misspelt one.
/// </summary>
public class MisspeltElementTests
{
    static XmlSchemaSet Standalone()
    {
        var set = new XmlSchemaSet();
        using (var reader = XmlReader.Create(new StringReader(SchemaWriter.StandaloneXsd())))
            set.Add(XmlSchema.Read(reader, (_, e) => throw e.Exception)!);
        set.Compile();
        return set;
    }

    static List<string> Validate(string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = Standalone() };
        settings.ValidationEventHandler += (_, e) => errors.Add($"line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }

    public static IEnumerable<TestCaseData> CommittedProjects() =>
        Directory.EnumerateFiles(RepoPaths.Of("samples"), "*.cdpproj", SearchOption.AllDirectories)
            .Append(RepoPaths.Of("sdk/CdpSdk.Templates/content/cdp/CdpProject.cdpproj"))
            .Select(p => new TestCaseData(p).SetArgDisplayNames(Path.GetFileName(p)));

    [TestCaseSource(nameof(CommittedProjects))]
    public void CommittedProjectsAreValid(string path) =>
        Assert.That(Validate(File.ReadAllText(path)), Is.Empty);

    [Test]
    public void MisspeltPropertyAndItemAreFlaggedOtherMsBuildElementsPass()
    {
        var project = """
            <Project Sdk="CdpSdk">
              <PropertyGroup>
                <CdpClient>acme</CdpClient>
                <OutputPath>bin/</OutputPath>
                <MyOwnSetting Condition="'$(X)' == ''">1</MyOwnSetting>
                <CdpClinet>acme</CdpClinet>
              </PropertyGroup>
              <ItemGroup>
                <None Include="data/**" />
                <Compile Remove="x.cs" />
                <CdpStagin Include="shop_customers" EmailColumns="email" />
                <CdpSource Include="shop" />
              </ItemGroup>
              <Import Project="extra.targets" Condition="Exists('extra.targets')" />
              <Target Name="Hello" AfterTargets="CdpPipeline"><Message Text="hi" Importance="high" /></Target>
            </Project>
            """;
        var errors = Validate(project);
        Assert.That(errors, Has.Count.EqualTo(2), string.Join("\n", errors));
        Assert.That(errors[0], Does.StartWith("line 6:").And.Contains("CdpClinet"));
        Assert.That(errors[1], Does.StartWith("line 11:").And.Contains("CdpStagin"));
    }

    [TestCase("CdpStagin", "CdpStaging")]
    [TestCase("CdpSatging", "CdpStaging")]
    [TestCase("CdpStagging", "CdpStaging")]
    [TestCase("cdpStaging", "CdpStaging")]
    [TestCase("CDPStaging", "CdpStaging")]
    [TestCase("Cdpstaging", "CdpStaging")]
    [TestCase("CdpUnificatonKey", "CdpUnificationKey")]
    [TestCase("CdpMonitorTimout", "CdpMonitorTimeout")]
    public void NearMissesOfEachKindAreFlagged(string miss, string meant)
    {
        Assert.That(NearMisses.Of(AllNames()), Does.Contain((miss, meant)));
        Assert.That(Validate($"<Project><ItemGroup><{miss} Include='x' /></ItemGroup><PropertyGroup><{miss}>1</{miss}></PropertyGroup></Project>"), Has.Count.EqualTo(2));
    }

    [Test]
    public void NoNearMissIsARealNameOrANonCdpMsBuildElement()
    {
        var names = AllNames();
        var misses = NearMisses.Of(names).Select(m => m.Miss).ToList();
        Assert.That(misses, Has.None.AnyOf(names.ToArray()));
        Assert.That(misses, Has.None.AnyOf("PropertyGroup", "ItemGroup", "Target", "Import", "None", "Compile", "Content", "Message", "Exec"));
        Assert.That(misses, Is.Unique);
    }

    /// <summary>
    /// Visual Studio's flavour needs no near misses: Microsoft.Build.Core.xsd admits in a PropertyGroup or ItemGroup only
    /// declared members of msb:Property and msb:Item (CommonTypes declares OutputPath, None …), so a misspelt Cdp name is
    /// invalid there as it stands. The stub is Core's shape with two CommonTypes members.
    /// </summary>
    [Test]
    public void MsBuildFlavourRejectsMisspeltNamesThroughTheSubstitutionGroups()
    {
        const string msb = SchemaWriter.MsBuildNamespace;
        var commonTypes = $"""
            <xs:schema targetNamespace="{msb}" xmlns:msb="{msb}" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
              <xs:element name="OutputPath" type="msb:StringPropertyType" substitutionGroup="msb:Property"/>
              <xs:element name="None" type="msb:SimpleItemType" substitutionGroup="msb:Item"/>
            </xs:schema>
            """;
        var set = new XmlSchemaSet();
        foreach (var text in new[] { XsdTests.MsBuildCoreStub, commonTypes, SchemaWriter.Xsd() })
            using (var reader = XmlReader.Create(new StringReader(text)))
                set.Add(XmlSchema.Read(reader, (_, e) => throw e.Exception)!);
        set.Compile();
        List<string> Check(string xml)
        {
            var errors = new List<string>();
            var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = set };
            settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            while (reader.Read()) { }
            return errors;
        }
        Assert.Multiple(() =>
        {
            Assert.That(Check($"<PropertyGroup xmlns='{msb}'><OutputPath>bin/</OutputPath><CdpClient>acme</CdpClient></PropertyGroup>"), Is.Empty);
            Assert.That(Check($"<ItemGroup xmlns='{msb}'><None Include='x' /><CdpStaging Include='t' /></ItemGroup>"), Is.Empty);
            Assert.That(Check($"<ItemGroup xmlns='{msb}'><CdpStagin Include='t' /></ItemGroup>"), Has.Count.EqualTo(1).And.Some.Contains("CdpStagin"));
            Assert.That(Check($"<PropertyGroup xmlns='{msb}'><CdpClinet>acme</CdpClinet></PropertyGroup>"), Has.Count.EqualTo(1).And.Some.Contains("CdpClinet"));
        });
    }

    static List<string> AllNames() =>
        SettingsCatalog.Properties.Select(p => p.Name).Concat(SdkSurface.Hooks.Select(h => h.Name)).Concat(SettingsCatalog.Items.Select(i => i.Name)).ToList();
}

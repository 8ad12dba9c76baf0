using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Configuration.Schema;

namespace CdpSdk.Core.Tests.Schema;

public class XsdTests
{
    const string Msb = SchemaWriter.MsBuildNamespace;

    /// <summary>
    /// What CdpSdk.xsd needs from Microsoft.Build.Core.xsd, which Visual Studio ships and this machine
    /// does not: the abstract heads and the two base types, declared as Core declares them.
    /// </summary>
    internal const string MsBuildCoreStub = $"""
        <xs:schema targetNamespace="{Msb}" xmlns:msb="{Msb}" xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
          <xs:element name="Property" abstract="true"/>
          <xs:element name="Item" type="msb:SimpleItemType" abstract="true"/>
          <xs:complexType name="SimpleItemType">
            <xs:attribute name="Condition" type="xs:string"/>
            <xs:attribute name="Include" type="xs:string"/>
            <xs:attribute name="Exclude" type="xs:string"/>
            <xs:attribute name="Remove" type="xs:string"/>
            <xs:attribute name="Update" type="xs:string"/>
            <xs:attribute name="Label" type="xs:string"/>
          </xs:complexType>
          <xs:complexType name="StringPropertyType">
            <xs:simpleContent>
              <xs:extension base="xs:string">
                <xs:attribute name="Condition" type="xs:string"/>
                <xs:attribute name="Label" type="xs:string"/>
              </xs:extension>
            </xs:simpleContent>
          </xs:complexType>
          <xs:element name="PropertyGroup">
            <xs:complexType><xs:sequence minOccurs="0" maxOccurs="unbounded"><xs:element ref="msb:Property"/></xs:sequence></xs:complexType>
          </xs:element>
          <xs:element name="ItemGroup">
            <xs:complexType><xs:choice minOccurs="0" maxOccurs="unbounded"><xs:element ref="msb:Item"/></xs:choice></xs:complexType>
          </xs:element>
        </xs:schema>
        """;

    static XmlSchemaSet Compile(params string[] schemas)
    {
        var set = new XmlSchemaSet();
        var errors = new List<string>();
        set.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message} (line {e.Exception?.LineNumber})");
        foreach (var text in schemas)
            using (var reader = XmlReader.Create(new StringReader(text)))
                set.Add(XmlSchema.Read(reader, (_, e) => errors.Add(e.Message))!);
        set.Compile();
        Assert.That(errors, Is.Empty, "schema errors");
        return set;
    }

    static List<string> Validate(XmlSchemaSet set, string xml)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = set };
        settings.ValidationEventHandler += (_, e) => errors.Add($"line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read()) { }
        return errors;
    }

    [Test]
    public void MsBuildFlavourCompilesNextToMsBuildCoreTypes()
    {
        var set = Compile(MsBuildCoreStub, SchemaWriter.Xsd());
        var names = set.GlobalElements.Names.Cast<XmlQualifiedName>().Where(n => n.Namespace == Msb).Select(n => n.Name).ToList();
        Assert.That(names, Is.SupersetOf(SettingsCatalog.Properties.Select(p => p.Name).Concat(SettingsCatalog.Items.Select(i => i.Name))));
    }

    [Test]
    public void MsBuildFlavourChecksEnumeratedValuesButAcceptsExpressions()
    {
        var set = Compile(MsBuildCoreStub, SchemaWriter.Xsd());
        Assert.Multiple(() =>
        {
            Assert.That(Validate(set, $"<PropertyGroup xmlns='{Msb}'><CdpTarget>TreasureData</CdpTarget><CdpClient>acme</CdpClient></PropertyGroup>"), Is.Empty);
            Assert.That(Validate(set, $"<PropertyGroup xmlns='{Msb}'><CdpTarget>$(MyTarget)</CdpTarget></PropertyGroup>"), Is.Empty);
            Assert.That(Validate(set, $"<PropertyGroup xmlns='{Msb}'><CdpTarget>Cloud</CdpTarget></PropertyGroup>"), Has.Count.EqualTo(1));
            Assert.That(Validate(set, $"<ItemGroup xmlns='{Msb}'><CdpSource Include='shop' Mode='both'><IncrementalField>ts</IncrementalField></CdpSource></ItemGroup>"), Is.Empty);
            Assert.That(Validate(set, $"<ItemGroup xmlns='{Msb}'><CdpSource Include='shop' Mode='daily' /></ItemGroup>"), Has.Count.EqualTo(1));
        });
    }

    [Test]
    public void StandaloneFlavourAcceptsTheRetailSample()
    {
        var set = Compile(SchemaWriter.StandaloneXsd());
        var sample = File.ReadAllText(RepoPaths.Of("samples/retail/retail.cdpproj"));
        Assert.That(Validate(set, sample), Is.Empty);
    }

    [Test]
    public void StandaloneFlavourReportsMisspeltMetadataAndValuesButNotOtherMsBuildElements()
    {
        var set = Compile(SchemaWriter.StandaloneXsd());
        var project = """
            <Project Sdk="CdpSdk">
              <PropertyGroup><OutputPath>bin/</OutputPath><CdpSqlEngine>spark</CdpSqlEngine></PropertyGroup>
              <ItemGroup><None Include="x" /><CdpSource Include="shop" Mdoe="both" /></ItemGroup>
              <Target Name="Hello"><Message Text="hi" /></Target>
            </Project>
            """;
        var errors = Validate(set, project);
        Assert.That(errors, Has.Count.EqualTo(2));
        Assert.That(errors, Has.Some.Contains("line 2").And.Some.Contains("line 3"));
    }

    [Test]
    public void EveryEnumerationOfTheCatalogIsInTheSchema()
    {
        var xsd = XDocument.Parse(SchemaWriter.Xsd());
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";
        var enumerations = xsd.Descendants(xs + "simpleType").Where(t => t.Attribute("name") is not null)
            .ToDictionary(t => (string)t.Attribute("name")!, t => t.Descendants(xs + "enumeration").Select(e => (string)e.Attribute("value")!).ToList());
        Assert.Multiple(() =>
        {
            foreach (var p in SettingsCatalog.Properties.Where(p => p.AllowedValues.Count > 0))
                Assert.That(enumerations[p.Name + "Values"], Is.EqualTo(p.AllowedValues), p.Name);
            foreach (var i in SettingsCatalog.Items)
                foreach (var m in i.Metadata.Where(m => m.AllowedValues.Count > 0))
                    Assert.That(enumerations[$"{i.Name}.{m.Name}Values"], Is.EqualTo(m.AllowedValues), $"{i.Name}.{m.Name}");
        });
    }

    [Test]
    public void DocumentationIsTheCatalogDescription()
    {
        var xsd = XDocument.Parse(SchemaWriter.Xsd());
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";
        var docs = xsd.Root!.Elements(xs + "element").ToDictionary(e => (string)e.Attribute("name")!, e => e.Element(xs + "annotation")!.Value);
        Assert.Multiple(() =>
        {
            foreach (var p in SettingsCatalog.Properties) Assert.That(docs[p.Name], Does.StartWith(p.Description), p.Name);
            foreach (var i in SettingsCatalog.Items) Assert.That(docs[i.Name], Does.StartWith(i.Description), i.Name);
        });
    }
}

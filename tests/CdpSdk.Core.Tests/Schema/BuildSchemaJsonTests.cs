using System.Text.Json;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Configuration.Schema;

namespace CdpSdk.Core.Tests.Schema;

public class BuildSchemaJsonTests
{
    static JsonElement Parse() => JsonDocument.Parse(SchemaWriter.BuildSchemaJson()).RootElement;

    [Test]
    public void DescribesEveryPropertyItemAndMetadataOfTheCatalog()
    {
        var root = Parse();
        Assert.Multiple(() =>
        {
            foreach (var p in SettingsCatalog.Properties)
                Assert.That(root.GetProperty("properties").GetProperty(p.Name).GetProperty("description").GetString(), Is.EqualTo(p.Description), p.Name);
            foreach (var i in SettingsCatalog.Items)
            {
                var item = root.GetProperty("items").GetProperty(i.Name);
                Assert.That(item.GetProperty("description").GetString(), Is.EqualTo(i.Description), i.Name);
                foreach (var m in i.Metadata)
                    Assert.That(item.GetProperty("metadata").GetProperty(m.Name).GetProperty("description").GetString(), Is.EqualTo(m.Description), $"{i.Name}.{m.Name}");
            }
        });
    }

    [Test]
    public void AllowedValuesBecomeTheValueType()
    {
        var target = Parse().GetProperty("properties").GetProperty("CdpTarget");
        Assert.That(target.GetProperty("type").EnumerateArray().Select(v => v.GetString()), Is.EqualTo(new[] { "Local", "TreasureData" }));
        Assert.That(target.GetProperty("defaultValue").GetString(), Is.EqualTo("Local"));
    }

    [Test]
    public void RequiredMetadataIsMarkedRequired()
    {
        var location = Parse().GetProperty("items").GetProperty("CdpObject").GetProperty("metadata").GetProperty("Location");
        Assert.That(location.GetProperty("isRequired").GetBoolean(), Is.True);
    }

    [Test]
    public void OnlyKeysOfTheEditorFormatAreUsed()
    {
        // The MSBuild Editor rejects unknown keys (additionalProperties: false in its buildschema.json).
        string[] top = ["$schema", "license", "properties", "items", "targets", "types", "metadata", "intellisenseImports"];
        string[] property = ["description", "type", "defaultValue", "isList", "listSeparators", "isLiteral", "deprecationMessage", "helpUrl"];
        string[] item = ["description", "includeDescription", "type", "metadata", "packageType", "isSingleton", "deprecationMessage", "helpUrl"];
        string[] metadata = ["description", "includeDescription", "type", "defaultValue", "isList", "listSeparators", "isRequired", "deprecationMessage", "helpUrl"];
        var root = Parse();
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name), Is.SubsetOf(top));
            foreach (var p in root.GetProperty("properties").EnumerateObject())
                Assert.That(p.Value.EnumerateObject().Select(x => x.Name), Is.SubsetOf(property), p.Name);
            foreach (var i in root.GetProperty("items").EnumerateObject())
            {
                Assert.That(i.Value.EnumerateObject().Select(x => x.Name), Is.SubsetOf(item), i.Name);
                if (i.Value.TryGetProperty("metadata", out var ms))
                    foreach (var m in ms.EnumerateObject())
                        Assert.That(m.Value.EnumerateObject().Select(x => x.Name), Is.SubsetOf(metadata), $"{i.Name}.{m.Name}");
            }
        });
    }

    [Test]
    public void ValueKindsNameOnlyCatalogSettings()
    {
        var names = SettingsCatalog.Properties.Select(p => p.Name).Concat(SettingsCatalog.Items.SelectMany(i => i.Metadata.Select(m => m.Name)));
        Assert.That(SchemaWriter.ValueKinds.Keys, Is.SubsetOf(names));
    }
}

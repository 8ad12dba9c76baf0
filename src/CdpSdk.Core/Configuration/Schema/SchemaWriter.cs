using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

namespace CdpSdk.Core.Configuration.Schema;

/// <summary>
/// Writes the IntelliSense schemas and the SDK README tables from <see cref="SettingsCatalog"/> and
/// <see cref="SdkSurface"/>, so the words a user sees in the editor, in the README and in CDP0001-3
/// errors are the same. Output is deterministic and uses '\n' line endings; the Core tests compare it
/// with the committed files (CDP_UPDATE_SCHEMAS=1 rewrites them).
/// </summary>
public static class SchemaWriter
{
    public const string MsBuildNamespace = "http://schemas.microsoft.com/developer/msbuild/2003";
    public const string ReadmeUrl = "https://github.com/cdpsdk/cdpsdk/blob/main/sdk/CdpSdk/README.md";
    const string Xs = "http://www.w3.org/2001/XMLSchema";
    const string BuildSchemaFormat = "https://raw.githubusercontent.com/mhutch/MonoDevelop.MSBuildEditor/main/MonoDevelop.MSBuild/Schemas/buildschema.json";
    const string Banner = " Generated from CdpSdk.Core SettingsCatalog by SchemaWriter: do not edit. Regenerate with: CDP_UPDATE_SCHEMAS=1 dotnet test tests/CdpSdk.Core.Tests ";

    /// <summary>
    /// Visual Studio's flavour: elements in the MSBuild namespace that join <c>msb:Property</c> and
    /// <c>msb:Item</c> like Microsoft.Build.CommonTypes.xsd, for inclusion next to Microsoft.Build.xsd.
    /// </summary>
    public static string Xsd() => WriteXml(w => new XsdBuilder(w, msbuildNamespace: true).Write());

    /// <summary>
    /// A standalone schema without target namespace for editors that associate one schema with a file
    /// (VS Code's XML extension): SDK-style projects have no xmlns, so the MSBuild-namespace flavour would
    /// not apply to them. Group contents are lax: Cdp elements are checked, other MSBuild ones pass, and the
    /// common misspellings of Cdp names are declared abstract so they fail (<see cref="NearMisses"/>).
    /// </summary>
    public static string StandaloneXsd() => WriteXml(w => new XsdBuilder(w, msbuildNamespace: false).Write());

    /// <summary>The sidecar schema of the MSBuild Editor extension (mhutch/MonoDevelop.MSBuildEditor), next to Sdk.props.</summary>
    public static string BuildSchemaJson()
    {
        var buffer = new MemoryStream();
        using (var j = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            j.WriteStartObject();
            j.WriteString("$schema", BuildSchemaFormat);
            j.WriteStartObject("properties");
            foreach (var p in SettingsCatalog.Properties)
            {
                j.WriteStartObject(p.Name);
                j.WriteString("description", p.Description);
                WriteJsonType(j, p.Name, p.AllowedValues);
                if (IsLiteralDefault(p.Default)) j.WriteString("defaultValue", p.Default);
                j.WriteString("helpUrl", ReadmeUrl + "#properties");
                j.WriteEndObject();
            }
            foreach (var h in SdkSurface.Hooks)
            {
                j.WriteStartObject(h.Name);
                j.WriteString("description", h.Description);
                j.WriteString("type", h.Name.EndsWith("DependsOn", StringComparison.Ordinal) ? "target-name" : "file");
                if (IsLiteralDefault(h.Default)) j.WriteString("defaultValue", h.Default);
                if (h.Name.EndsWith("DependsOn", StringComparison.Ordinal)) j.WriteBoolean("isList", true);
                j.WriteString("helpUrl", ReadmeUrl + "#extensibility");
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("items");
            foreach (var item in SettingsCatalog.Items)
            {
                j.WriteStartObject(item.Name);
                j.WriteString("description", item.Description);
                j.WriteString("includeDescription", item.IncludeMeaning);
                j.WriteString("helpUrl", ReadmeUrl + "#" + item.Name.ToLowerInvariant());
                if (item.Metadata.Count > 0)
                {
                    j.WriteStartObject("metadata");
                    foreach (var m in item.Metadata)
                    {
                        j.WriteStartObject(m.Name);
                        j.WriteString("description", m.Description);
                        WriteJsonType(j, m.Name, m.AllowedValues);
                        if (IsLiteralDefault(m.Default)) j.WriteString("defaultValue", m.Default);
                        if (IsCommaList(m.Description))
                        {
                            j.WriteBoolean("isList", true);
                            j.WriteString("listSeparators", ",");
                        }
                        if (m.Required) j.WriteBoolean("isRequired", true);
                        j.WriteEndObject();
                    }
                    j.WriteEndObject();
                }
                j.WriteEndObject();
            }
            j.WriteEndObject();

            j.WriteStartObject("targets");
            foreach (var t in SdkSurface.Targets.Where(t => t.Name.StartsWith("Cdp", StringComparison.Ordinal)))
            {
                j.WriteStartObject(t.Name);
                j.WriteString("description", t.Description);
                j.WriteString("helpUrl", ReadmeUrl + "#targets");
                j.WriteEndObject();
            }
            j.WriteEndObject();
            j.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The named regions of the SDK README this writer owns: region name → markdown.</summary>
    public static IReadOnlyDictionary<string, string> ReadmeRegions() => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["settings"] = ReadmeSettings(),
        ["targets"] = ReadmeTargets(),
        ["extensibility"] = ReadmeExtensibility(),
    };

    /// <summary>The property and item tables of the README, between <c>&lt;!-- settings:begin --&gt;</c> and <c>&lt;!-- settings:end --&gt;</c>.</summary>
    public static string ReadmeSettings()
    {
        var md = new StringBuilder();
        md.Append("### Properties\n\n");
        md.Append("| Property | Default | Allowed values | Affects | Description |\n");
        md.Append("|---|---|---|---|---|\n");
        foreach (var p in SettingsCatalog.Properties)
            md.Append($"| `{p.Name}` | {DefaultCell(p.Default)} | {ValuesCell(p.AllowedValues)} | {p.Scope} | {Cell(p.Description)} |\n");
        md.Append("\n\"Affects\" says which phase's resolved configuration a property belongs to: changing a Global one reruns every phase,\n");
        md.Append("a phase's one reruns that phase and the ones after it, a Runtime one changes how a build runs, not what it produces.\n");

        md.Append("\n### Items\n");
        foreach (var item in SettingsCatalog.Items)
        {
            md.Append($"\n#### {item.Name}\n\n");
            md.Append($"{Cell(item.Description)} `Include`: {Cell(item.IncludeMeaning)}\n");
            if (item.Metadata.Count == 0) { md.Append("\nNo metadata.\n"); continue; }
            md.Append("\n| Metadata | Default | Allowed values | Description |\n");
            md.Append("|---|---|---|---|\n");
            foreach (var m in item.Metadata)
                md.Append($"| `{m.Name}` | {(m.Required ? "(required)" : DefaultCell(m.Default))} | {ValuesCell(m.AllowedValues)} | {Cell(m.Description)} |\n");
        }
        return md.ToString();
    }

    public static string ReadmeTargets()
    {
        var md = new StringBuilder();
        md.Append("| Target | What it does |\n|---|---|\n");
        foreach (var t in SdkSurface.Targets)
            md.Append($"| `{t.Name}` | {Cell(t.Description)} |\n");
        return md.ToString();
    }

    public static string ReadmeExtensibility()
    {
        var md = new StringBuilder();
        md.Append("| Property | Default | Description |\n|---|---|---|\n");
        foreach (var h in SdkSurface.Hooks)
            md.Append($"| `{h.Name}` | {DefaultCell(h.Default)} | {Cell(h.Description)} |\n");
        return md.ToString();
    }

    /// <summary>Returns <paramref name="readme"/> with every owned region replaced by its generated text; regions missing from the file are left out.</summary>
    public static string ApplyReadmeRegions(string readme)
    {
        var text = readme.Replace("\r\n", "\n");
        foreach (var (name, content) in ReadmeRegions())
        {
            var (begin, end) = Markers(name);
            var b = text.IndexOf(begin, StringComparison.Ordinal);
            var e = text.IndexOf(end, StringComparison.Ordinal);
            if (b < 0 || e < b) continue;
            text = text[..(b + begin.Length)] + "\n" + content + text[e..];
        }
        return text;
    }

    public static (string Begin, string End) Markers(string region) => ($"<!-- {region}:begin -->", $"<!-- {region}:end -->");

    /// <summary>Defaults that are values ("presto", "{client}_src") rather than explanations ("from the file extension").</summary>
    internal static bool IsLiteralDefault(string value) =>
        value.Length > 0 && !value.StartsWith('(') && !value.Any(char.IsWhiteSpace);

    internal static bool IsCommaList(string description) => description.StartsWith("Comma-separated", StringComparison.Ordinal);

    /// <summary>
    /// MSBuild Editor value kinds the catalog does not spell out, keyed by name. Names missing from the
    /// catalog fail a test, so this table cannot outlive a setting.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> ValueKinds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CdpEndpoint"] = "url",
        ["CdpApiEndpoint"] = "url",
        ["CdpWorkflowEndpoint"] = "url",
        ["CdpUnificationEndpoint"] = "url",
        ["CdpWarehouseDir"] = "folder-with-slash",
        ["CdpGeneratedDir"] = "folder-with-slash",
        ["MergeIterations"] = "int",
        ["UnifyYml"] = "file",
    };

    static void WriteJsonType(Utf8JsonWriter j, string name, IReadOnlyList<string> allowed)
    {
        if (allowed.Count > 0)
        {
            j.WriteStartArray("type");
            foreach (var v in allowed) j.WriteStringValue(v);
            j.WriteEndArray();
        }
        else if (ValueKinds.TryGetValue(name, out var kind)) j.WriteString("type", kind);
    }

    static string DefaultCell(string value) => value.Length == 0 ? "" : IsLiteralDefault(value) ? $"`{value}`" : Cell(value);

    static string ValuesCell(IReadOnlyList<string> values) => string.Join(", ", values.Select(v => $"`{v}`"));

    static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    static string WriteXml(Action<XmlWriter> write)
    {
        var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", NewLineHandling = NewLineHandling.Replace, Encoding = new UTF8Encoding(false) };
        using (var w = XmlWriter.Create(buffer, settings)) write(w);
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Writes one flavour of the XSD; the two differ only in namespace and in the project skeleton.</summary>
    sealed class XsdBuilder(XmlWriter w, bool msbuildNamespace)
    {
        string Ref(string name) => msbuildNamespace ? "msb:" + name : name;

        public void Write()
        {
            w.WriteStartDocument();
            w.WriteComment(Banner);
            w.WriteStartElement("xs", "schema", Xs);
            if (msbuildNamespace)
            {
                w.WriteAttributeString("targetNamespace", MsBuildNamespace);
                w.WriteAttributeString("xmlns", "msb", null, MsBuildNamespace);
            }
            w.WriteAttributeString("elementFormDefault", "qualified");

            w.WriteComment(" Values may also be MSBuild expressions ($(Property), @(Item), %(Metadata)), so enumerations are suggestions that expressions bypass. ");
            SimpleType("CdpExpression", () =>
            {
                Start("restriction"); w.WriteAttributeString("base", "xs:string");
                Start("pattern"); w.WriteAttributeString("value", @"(.*[$@%]\(.*)?"); w.WriteEndElement();
                w.WriteEndElement();
            });
            Start("attributeGroup"); w.WriteAttributeString("name", "CdpPropertyAttributes");
            Attribute("Condition", "xs:string", "Optional expression evaluated to determine whether the property should be evaluated");
            Attribute("Label", "xs:string", "Optional expression. Used to identify or order system and user elements");
            w.WriteEndElement();
            Start("attributeGroup"); w.WriteAttributeString("name", "CdpMetadataAttributes");
            Attribute("Condition", "xs:string", "Optional expression evaluated to determine whether the metadata should be evaluated");
            w.WriteEndElement();

            if (!msbuildNamespace) ProjectSkeleton();

            w.WriteComment(" ======================== PROPERTIES ======================== ");
            foreach (var p in SettingsCatalog.Properties) Property(p.Name, Documentation(p.Description, p.Default), p.AllowedValues, p.Default);
            foreach (var h in SdkSurface.Hooks) Property(h.Name, Documentation(h.Description, h.Default), [], "");

            w.WriteComment(" ========================== ITEMS =========================== ");
            foreach (var item in SettingsCatalog.Items) Item(item);

            // VS's Microsoft.Build.Core.xsd admits only declared members of msb:Property and msb:Item, so there a
            // misspelt name is already invalid; the standalone flavour's lax groups need the near misses declared.
            if (!msbuildNamespace) NearMissDeclarations();

            w.WriteEndElement();
            w.WriteEndDocument();
        }

        void Property(string name, string doc, IReadOnlyList<string> allowed, string @default)
        {
            Start("element");
            w.WriteAttributeString("name", name);
            if (allowed.Count == 0) w.WriteAttributeString("type", Ref("StringPropertyType"));
            if (msbuildNamespace) w.WriteAttributeString("substitutionGroup", "msb:Property");
            Docs(doc);
            if (allowed.Count > 0) ValuedContent(name + "Values", "CdpPropertyAttributes");
            w.WriteEndElement();
            if (allowed.Count > 0) Values(name + "Values", allowed, @default);
        }

        void Item(ItemSetting item)
        {
            Start("element");
            w.WriteAttributeString("name", item.Name);
            if (item.Metadata.Count == 0) w.WriteAttributeString("type", Ref("SimpleItemType"));
            if (msbuildNamespace) w.WriteAttributeString("substitutionGroup", "msb:Item");
            Docs($"{item.Description} Include: {item.IncludeMeaning}");
            if (item.Metadata.Count > 0)
            {
                Start("complexType"); Start("complexContent");
                Start("extension"); w.WriteAttributeString("base", Ref("SimpleItemType"));
                Start("choice"); w.WriteAttributeString("minOccurs", "0"); w.WriteAttributeString("maxOccurs", "unbounded");
                foreach (var m in item.Metadata)
                {
                    Start("element");
                    w.WriteAttributeString("name", m.Name);
                    Docs(MetadataDoc(m));
                    if (m.AllowedValues.Count > 0) ValuedContent(ValuesName(item, m), "CdpMetadataAttributes");
                    w.WriteEndElement();
                }
                w.WriteEndElement();
                foreach (var m in item.Metadata)
                    Attribute(m.Name, m.AllowedValues.Count > 0 ? Ref(ValuesName(item, m)) : "xs:string", MetadataDoc(m));
                w.WriteEndElement(); w.WriteEndElement(); w.WriteEndElement();
            }
            w.WriteEndElement();
            foreach (var m in item.Metadata.Where(m => m.AllowedValues.Count > 0))
                Values(ValuesName(item, m), m.AllowedValues, m.Default);
        }

        static string ValuesName(ItemSetting item, MetadataSetting m) => $"{item.Name}.{m.Name}Values";

        static string MetadataDoc(MetadataSetting m) => m.Required ? m.Description + " Required." : Documentation(m.Description, m.Default);

        static string Documentation(string description, string @default) =>
            @default.Length == 0 ? description
            : @default == "(required)" ? description + " Required."
            : $"{description} Default: {@default}.";

        /// <summary>Element content of an enumerated value plus the given attributes.</summary>
        void ValuedContent(string valuesType, string attributeGroup)
        {
            Start("complexType"); Start("simpleContent");
            Start("extension"); w.WriteAttributeString("base", Ref(valuesType));
            Start("attributeGroup"); w.WriteAttributeString("ref", Ref(attributeGroup)); w.WriteEndElement();
            w.WriteEndElement(); w.WriteEndElement(); w.WriteEndElement();
        }

        /// <summary>The allowed values as an enumeration, united with MSBuild expressions like msb:boolean does with any string.</summary>
        void Values(string name, IReadOnlyList<string> allowed, string @default) => SimpleType(name, () =>
        {
            Start("union"); w.WriteAttributeString("memberTypes", Ref("CdpExpression"));
            Start("simpleType"); Start("restriction"); w.WriteAttributeString("base", "xs:string");
            foreach (var v in allowed)
            {
                Start("enumeration"); w.WriteAttributeString("value", v);
                if (v == @default) Docs("Default.");
                w.WriteEndElement();
            }
            w.WriteEndElement(); w.WriteEndElement(); w.WriteEndElement();
        });

        /// <summary>The few MSBuild elements a .cdpproj uses, for the standalone flavour (Microsoft.Build.Core.xsd provides them in Visual Studio).</summary>
        void ProjectSkeleton()
        {
            w.WriteComment(" ==================== MSBUILD PROJECT (minimal) ==================== ");
            Start("element"); w.WriteAttributeString("name", "Project");
            Docs("An MSBuild project using the CdpSdk.");
            Start("complexType");
            Start("choice"); w.WriteAttributeString("minOccurs", "0"); w.WriteAttributeString("maxOccurs", "unbounded");
            foreach (var (name, type) in new[] { ("PropertyGroup", "PropertyGroupType"), ("ItemGroup", "ItemGroupType"), ("ItemDefinitionGroup", "ItemGroupType"), ("Choose", "OpaqueType"), ("Import", "OpaqueType"), ("ImportGroup", "OpaqueType"), ("Target", "OpaqueType"), ("UsingTask", "OpaqueType"), ("ProjectExtensions", "OpaqueType"), ("Sdk", "OpaqueType") })
            {
                Start("element"); w.WriteAttributeString("name", name); w.WriteAttributeString("type", type); w.WriteEndElement();
            }
            w.WriteEndElement();
            foreach (var a in new[] { "Sdk", "DefaultTargets", "InitialTargets", "ToolsVersion", "TreatAsLocalProperty" })
                Attribute(a, "xs:string", null);
            w.WriteEndElement();
            w.WriteEndElement();

            Group("PropertyGroupType", "Groups property definitions");
            Group("ItemGroupType", "Groups item definitions");

            Start("complexType"); w.WriteAttributeString("name", "OpaqueType"); w.WriteAttributeString("mixed", "true");
            Start("sequence"); w.WriteAttributeString("minOccurs", "0"); w.WriteAttributeString("maxOccurs", "unbounded");
            Start("any"); w.WriteAttributeString("processContents", "skip"); w.WriteEndElement();
            w.WriteEndElement();
            Start("anyAttribute"); w.WriteAttributeString("processContents", "skip"); w.WriteEndElement();
            w.WriteEndElement();

            Start("complexType"); w.WriteAttributeString("name", "StringPropertyType");
            Start("simpleContent"); Start("extension"); w.WriteAttributeString("base", "xs:string");
            Start("attributeGroup"); w.WriteAttributeString("ref", "CdpPropertyAttributes"); w.WriteEndElement();
            w.WriteEndElement(); w.WriteEndElement(); w.WriteEndElement();

            Start("complexType"); w.WriteAttributeString("name", "SimpleItemType");
            foreach (var a in new[] { "Condition", "Include", "Exclude", "Remove", "Update", "Label", "KeepMetadata", "RemoveMetadata", "KeepDuplicates", "MatchOnMetadata", "MatchOnMetadataOptions" })
                Attribute(a, "xs:string", null);
            w.WriteEndElement();
        }

        /// <summary>
        /// The misspellings of <see cref="NearMisses"/>, each an abstract element (never valid where it appears, never
        /// offered by completion) of a type per name meant whose documentation says which name that is.
        /// </summary>
        void NearMissDeclarations()
        {
            var names = SettingsCatalog.Properties.Select(p => p.Name).Concat(SdkSurface.Hooks.Select(h => h.Name))
                .Concat(SettingsCatalog.Items.Select(i => i.Name)).ToList();
            w.WriteComment(" ==================== MISSPELT NAMES (abstract: a validator reports them) ==================== ");
            foreach (var group in NearMisses.Of(names).GroupBy(m => m.Meant))
            {
                // Any content and attributes: the one error a misspelt element gets is that it is abstract.
                Start("complexType"); w.WriteAttributeString("name", NearMissType(group.Key)); w.WriteAttributeString("abstract", "true"); w.WriteAttributeString("mixed", "true");
                Docs($"Misspelt: did you mean {group.Key}?");
                Start("sequence"); w.WriteAttributeString("minOccurs", "0"); w.WriteAttributeString("maxOccurs", "unbounded");
                Start("any"); w.WriteAttributeString("processContents", "skip"); w.WriteEndElement();
                w.WriteEndElement();
                Start("anyAttribute"); w.WriteAttributeString("processContents", "skip"); w.WriteEndElement();
                w.WriteEndElement();
                foreach (var (miss, _) in group)
                {
                    Start("element"); w.WriteAttributeString("name", miss); w.WriteAttributeString("type", NearMissType(group.Key)); w.WriteAttributeString("abstract", "true");
                    w.WriteEndElement();
                }
            }
        }

        static string NearMissType(string meant) => "Misspelt." + meant;

        /// <summary>Lax: Cdp elements are validated against their declarations, any other MSBuild element is accepted.</summary>
        void Group(string name, string doc)
        {
            Start("complexType"); w.WriteAttributeString("name", name);
            Docs(doc);
            Start("choice"); w.WriteAttributeString("minOccurs", "0"); w.WriteAttributeString("maxOccurs", "unbounded");
            Start("any"); w.WriteAttributeString("processContents", "lax"); w.WriteEndElement();
            w.WriteEndElement();
            Attribute("Condition", "xs:string", null);
            Attribute("Label", "xs:string", null);
            w.WriteEndElement();
        }

        void SimpleType(string name, Action content)
        {
            Start("simpleType"); w.WriteAttributeString("name", name);
            content();
            w.WriteEndElement();
        }

        void Attribute(string name, string type, string? doc)
        {
            Start("attribute");
            w.WriteAttributeString("name", name);
            w.WriteAttributeString("type", type);
            w.WriteAttributeString("use", "optional");
            if (doc is not null) Docs(doc);
            w.WriteEndElement();
        }

        void Docs(string text)
        {
            Start("annotation");
            Start("documentation"); w.WriteString(text); w.WriteEndElement();
            w.WriteEndElement();
        }

        void Start(string name) => w.WriteStartElement("xs", name, Xs);
    }
}

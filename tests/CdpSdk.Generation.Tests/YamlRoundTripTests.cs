using System.Diagnostics;
using System.Text.Json;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Generation.Tests;

/// <summary>
/// Every generated .dig and .yml read back as Digdag and TD read it (YAML 1.1, SnakeYAML): each value has the
/// model's type and text. Strings a YAML 1.1 or 1.2 reader would take for null, a boolean, a number or a date
/// (InvalidTexts="NULL,Yes,True" was once written bare) must arrive as the strings the user wrote.
/// </summary>
public sealed class YamlRoundTripTests
{
    /// <summary>Strings that a careless writer lets a reader turn into something else, and Digdag's own syntax that must stay.</summary>
    static readonly string[] Nasty =
    [
        "NULL", "Null", "null", "~", "Yes", "yes", "YES", "y", "Y", "n", "N", "No", "on", "On", "OFF", "True", "TRUE", "true", "False",
        "0x1F", "0o17", "017", "0b101", "1_000", "1e3", "1.5", ".5", "+1", "-1", ".inf", "-.inf", ".NaN", "1:20", "1:20.5", "190:20:30",
        "2024-01-01", "2024-1-1 10:00:00", "2024-01-01T00:00:00.000000", "", " ", " a", "a ", "#x", "a #x", "a#x", "a: b", "a:", ":a", ": a",
        "- a", "-", "?", "? a", "[a]", "{a}", "a, b", "a,b", "*a", "&a", "!a", "%a", "@a", "`a", "|", ">", "'", "it's", "\"q\"",
        "multi\nline", "tab\there", "trailing\n", "<<", "=", "+", "a  b", "\\", "a\\b", "ä", "${x}", "${secret:td.apikey}",
        "https://api-cdp.treasuredata.com", "queries/x.sql", "td>", "+task", "test@example.com", ".*@.*", "^[0-9]{10,15}$",
    ];

    static IEnumerable<string> NastyCases() => Nasty;

    [TestCaseSource(nameof(NastyCases))]
    public void EveryStringIsReadBackAsThatStringInEveryPlaceYamlCanHoldIt(string value)
    {
        var text = YamlText.Generated()
            .Pair(0, "value", value)
            .Pair(0, value, "as a key")
            .Pair(0, "list", YamlValue.List([value, "x"]))
            .Map(0, "seq").Item(1, YamlValue.Map(("value", value), (value, "as a flow key")))
            .ToString();
        var root = (YMap)Yaml11Reader.Read(text)!;
        Assert.Multiple(() =>
        {
            Assert.That(root["value"], Is.EqualTo(new YScalar("str", value, "")), "as a block value");
            Assert.That(root.Entries[1].Key, Is.EqualTo(new YScalar("str", value, "")), "as a block key");
            Assert.That(((YSeq)root["list"]).Items[0], Is.EqualTo(new YScalar("str", value, "")), "in a flow list");
            var map = (YMap)((YSeq)root["seq"]).Items[0];
            Assert.That(map.Entries[0].Value, Is.EqualTo(new YScalar("str", value, "")), "as a flow map value");
            Assert.That(map.Entries[1].Key, Is.EqualTo(new YScalar("str", value, "")), "as a flow map key");
        });
    }

    [TestCase("${session_date}")]
    [TestCase("${unification_endpoint}/unifications/workflow_call")]
    [TestCase("${secret:td.apikey}")]
    [TestCase("queries/shopify_customers_prep.sql")]
    [TestCase("https://api-cdp.treasuredata.com")]
    [TestCase("td>")]
    [TestCase("+load_customers")]
    [TestCase("shopify_customers")]
    [TestCase("test@example.com")]
    public void DigdagSyntaxAndPlainNamesStayUnquoted(string value) =>
        Assert.That(YamlScalar.Block(value), Is.EqualTo(value), "readable as TD users write it");

    [Test]
    public void TheResolverReadsWhatSnakeYamlReads()
    {
        // The helper itself: YAML 1.1's implicit types (yaml.org/type), plus YAML 1.2 core's 1e3 and 0o17.
        string[] typed = ["NULL", "~", "", "Yes", "off", "y", "True", "0x1F", "017", "1_000", "1:20", "1e3", "0o17", ".inf", "1:20.5", "2024-01-01", "<<", "="];
        Assert.That(typed.Where(t => Yaml11Reader.Resolve(t) == "str"), Is.Empty);
        Assert.That(Yaml11Reader.Resolve("yess"), Is.EqualTo("str"));
    }

    [Test]
    public void EveryGeneratedValueIsAStringUnlessTheModelTypesIt()
    {
        var problems = new List<string>();
        foreach (var (name, spec) in Variants.All().Concat(NastyVariants()))
            foreach (var phase in PhaseOrder.All)
                foreach (var file in WorkflowGenerator.Generate(spec, phase).Files.Where(IsYaml))
                    Walk(Yaml11Reader.Read(file.Content), "", (path, key, scalar) =>
                    {
                        var expected = TypedKeys.GetValueOrDefault(key, "str");
                        if (scalar.Type != expected && !(expected == "null" && scalar.Type == "str"))
                            problems.Add($"{name}: {phase} {file.RelativePath} {path} is {scalar} (expected {expected})");
                    });
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void UnifyYmlCarriesEveryValueOfTheModel()
    {
        foreach (var (name, spec) in NastyVariants().Concat(Variants.All()))
        {
            var files = WorkflowGenerator.Generate(spec, Phase.Unification).Files;
            foreach (var u in spec.Unifications.Where(u => u.UnifyYmlPath.Length == 0))
            {
                var path = spec.Unifications.Count == 1 ? "config/unify.yml" : $"config/unify_{u.Name}.yml";
                var root = (YMap)Yaml11Reader.Read(files.Single(f => f.RelativePath == path).Content)!;
                Assert.Multiple(() =>
                {
                    Assert.That(root["name"], Is.EqualTo(Str(u.Name)), name);
                    var keys = Items(root["keys"]);
                    Assert.That(keys.Select(k => k["name"]), Is.EqualTo(u.Keys.Select(k => Str(k.Name))), name);
                    foreach (var (k, yk) in u.Keys.Zip(keys))
                    {
                        Assert.That(yk.Find("valid_regexp"), Is.EqualTo(k.ValidRegexp.Length > 0 ? Str(k.ValidRegexp) : null), $"{name}: {k.Name} valid_regexp");
                        Assert.That(((YSeq)yk["invalid_texts"]).Items, Is.EqualTo(UnificationGenerator.InvalidTexts(k).Select(Str)), $"{name}: {k.Name} invalid_texts");
                    }
                    var tables = Items(root["tables"]);
                    Assert.That(tables.Select(t => (t["database"], t["table"])), Is.EqualTo(u.Tables.Select(t => (Str(t.Database), Str(t.Table)))), name);
                    foreach (var (t, yt) in u.Tables.Zip(tables))
                        Assert.That(Items(yt["key_columns"]).Select(c => (c["column"], c["key"])), Is.EqualTo(t.KeyColumns.Select(c => (Str(c.Column), Str(c.Key)))), name);
                    var id = Items(root[u.IdMethod == IdMethod.PersistentId ? "persistent_ids" : "canonical_ids"]).Single();
                    Assert.That(id["name"], Is.EqualTo(Str(u.IdName)), name);
                    Assert.That(((YSeq)id["merge_by_keys"]).Items, Is.EqualTo(UnificationGenerator.MergeByKeys(u).Select(Str)), name);
                    Assert.That(id["merge_iterations"], Is.EqualTo(Int(u.MergeIterations)), name);
                    Assert.That(id["incremental_merge_iterations"], Is.EqualTo(Int(UnificationGenerator.IncrementalMergeIterations(u))), name);
                    var attributes = root.Find("master_tables") is { } masters ? Items(masters).SelectMany(m => Items(m["attributes"])).ToList() : [];
                    Assert.That(attributes.Select(a => a["name"]), Is.EqualTo(u.MasterAttributes.Select(a => Str(a.Name))), name);
                    foreach (var (a, ya) in u.MasterAttributes.Zip(attributes))
                    {
                        Assert.That(ya.Find("invalid_texts") is YSeq s ? s.Items : [], Is.EqualTo(a.InvalidTexts.Select(Str)), $"{name}: {a.Name} invalid_texts");
                        Assert.That(ya.Find("valid_regexp"), Is.EqualTo(a.ValidRegexp.Length > 0 ? Str(a.ValidRegexp) : null), $"{name}: {a.Name} valid_regexp");
                        Assert.That(Items(ya["source_columns"]).Select(c => (c["table"], c["column"], c["priority"], c["order"])),
                            Is.EqualTo(a.Sources.Select(c => (Str(c.Table), Str(c.Column), Int(c.Priority), Str(c.Order)))), name);
                    }
                });
            }
        }
    }

    [Test]
    public void WorkflowsAndConfigsCarryTheModelsValues()
    {
        var spec = NastyVariants().Last().Spec;
        var source = spec.Sources[0];
        var ingestion = WorkflowGenerator.Generate(spec, Phase.Ingestion).Files;
        var datasources = (YMap)Yaml11Reader.Read(ingestion.Single(f => f.RelativePath == $"config/{source.Name}_datasources.yml").Content)!;
        var load = (YMap)Yaml11Reader.Read(ingestion.Single(f => f.RelativePath == $"config/{source.Name}_{spec.Objects.First(o => o.Source == source.Name).Name}_load.yml").Content)!;
        var dig = (YMap)Yaml11Reader.Read(ingestion.Single(f => f.RelativePath == $"{source.Name}_ingest_inc.dig").Content)!;
        var unify = (YMap)Yaml11Reader.Read(WorkflowGenerator.Generate(spec, Phase.Unification).Files.Single(f => f.RelativePath == "id_unification.dig").Content)!;
        var content = (YMap)((YMap)unify["+unify_" + spec.Unifications[0].Name])["content"];
        Assert.Multiple(() =>
        {
            Assert.That(datasources["start_date"], Is.EqualTo(Str(source.StartDate)));
            Assert.That(datasources["incremental_field"], Is.EqualTo(Str(source.IncrementalField)));
            Assert.That(((YMap)load["in"])["start_date"], Is.EqualTo(Str(source.StartDate)));
            Assert.That(((YMap)load["in"])["incremental"], Is.EqualTo(new YScalar("bool", "true", "")));
            Assert.That(((YMap)dig["schedule"])["daily>"], Is.EqualTo(Str("01:00:00")), "a sexagesimal to YAML 1.1 unless quoted");
            Assert.That(((YMap)((YMap)dig["_export"])["td"])["database"], Is.EqualTo(Str(source.Database)));
            Assert.That(content["full_refresh"], Is.EqualTo(new YScalar("bool", spec.Unifications[0].UpdateStrategy == UpdateStrategy.Full ? "true" : "false", "")));
            Assert.That(((YMap)content["unification"]).Entries.Single().Key.Tag, Is.EqualTo("!include"));
        });
    }

    /// <summary>
    /// The same files through PyYAML's safe_load (YAML 1.1, like SnakeYAML), when python3 with PyYAML is on the machine:
    /// every value must come back with the type and text our reader gives it.
    /// </summary>
    [Test]
    public void PyYamlReadsTheGeneratedFilesAsOurResolverDoes()
    {
        if (!PythonYaml.Available) Assert.Ignore("python3 with PyYAML is not installed; the C# YAML 1.1 resolver covers this.");
        var documents = new List<(string Name, string Text)>();
        foreach (var (name, spec) in NastyVariants().Concat(Variants.All().Take(1)))
            foreach (var phase in PhaseOrder.All)
                documents.AddRange(WorkflowGenerator.Generate(spec, phase).Files.Where(IsYaml).Select(f => ($"{name}/{phase}/{f.RelativePath}", f.Content)));
        documents.AddRange(Nasty.Select((v, i) => ($"nasty {i}", YamlText.Generated().Pair(0, "value", v).Pair(0, "list", YamlValue.List([v])).ToString())));
        var python = PythonYaml.Load(documents.Select(d => d.Text).ToList());
        var problems = new List<string>();
        foreach (var ((name, text), loaded) in documents.Zip(python))
        {
            var ours = Typed(Yaml11Reader.Read(text));
            if (!JsonElement.DeepEquals(ours, loaded)) problems.Add($"{name}:\n  ours   {ours}\n  PyYAML {loaded}");
        }
        Assert.That(problems, Is.Empty);
    }

    /// <summary>Keys whose values the model types; every other scalar must be a string. Operator keys without a command are null.</summary>
    static readonly Dictionary<string, string> TypedKeys = new(StringComparer.Ordinal)
    {
        ["merge_iterations"] = "int", ["incremental_merge_iterations"] = "int", ["priority"] = "int", ["array_elements"] = "int",
        ["skip_header_lines"] = "int", ["minutes_interval>"] = "int",
        ["incremental"] = "bool", ["retry"] = "bool", ["run_persistent_ids"] = "bool", ["run_canonical_ids"] = "bool", ["run_enrichments"] = "bool",
        ["run_master_tables"] = "bool", ["full_refresh"] = "bool", ["keep_debug_tables"] = "bool",
        ["td_ddl>"] = "null", ["col"] = "null", // TD's src_prep_params.yml writes "- col:" with the column's keys beside it
    };

    static bool IsYaml(GeneratedFile f) => f.RelativePath.EndsWith(".yml", StringComparison.Ordinal) || f.RelativePath.EndsWith(".dig", StringComparison.Ordinal);

    static YScalar Str(string text) => new("str", text, "");

    static YScalar Int(long value) => new("int", value.ToString(System.Globalization.CultureInfo.InvariantCulture), "");

    static List<YMap> Items(YNode node) => ((YSeq)node).Items.Cast<YMap>().ToList();

    static void Walk(YNode? node, string path, Action<string, string, YScalar> scalar, string key = "")
    {
        switch (node)
        {
            case YScalar s: scalar(path, key, s); break;
            case YSeq q:
                for (var i = 0; i < q.Items.Count; i++) Walk(q.Items[i], $"{path}[{i}]", scalar, key);
                break;
            case YMap m:
                foreach (var (k, v) in m.Entries)
                {
                    if (k.Tag != "!include") scalar($"{path}/{k.Text} (key)", "", k);
                    Walk(v, $"{path}/{k.Text}", scalar, k.Text);
                }
                break;
        }
    }

    /// <summary>The document as JSON of {type, text} leaves, the shape the Python side writes too.</summary>
    static JsonElement Typed(YNode? node)
    {
        object? Shape(YNode? n) => n switch
        {
            null => null,
            YScalar s => new Dictionary<string, string> { ["type"] = s.Type, ["text"] = s.Type is "str" or "null" ? (s.Type == "null" ? "" : s.Text) : Canonical(s) },
            YSeq q => q.Items.Select(Shape).ToList(),
            YMap m => m.Entries.Select(e => new object?[] { e.Key.Tag == "!include" ? "!include" : e.Key.Text, Shape(e.Value) }).ToList(),
            _ => null,
        };
        return JsonSerializer.SerializeToElement(Shape(node));
    }

    // Typed scalars compared by their meaning (PyYAML gives 31 for 0x1F); generated files only hold plain ints and booleans.
    static string Canonical(YScalar s) => s.Type switch
    {
        "bool" => s.Text.ToLowerInvariant() is "true" or "yes" or "on" or "y" ? "true" : "false",
        "int" when long.TryParse(s.Text, out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => s.Text,
    };

    /// <summary>
    /// The retail sample with values a YAML reader could mistype: through the .cdpproj (InvalidTexts as a user writes
    /// them), and in the model directly for what a project file cannot carry (a leading space, an empty string, a line break).
    /// </summary>
    internal static IEnumerable<(string Name, PipelineSpec Spec)> NastyVariants()
    {
        const string texts = "NULL,Yes,True,0x1F,1:20,#x,a: b,2024-01-01,~,off,017,1_000,.inf,'q',\"q\",${x}";
        var fromProject = RetailSpecs.For("presto", (items, _) =>
        {
            for (var i = 0; i < items.Count; i++)
                if (items[i].ItemType is "CdpUnificationKey" or "CdpUnificationMasterAttribute")
                    items[i] = items[i] with { Metadata = new Dictionary<string, string>(items[i].Metadata) { ["InvalidTexts"] = texts } };
        });
        yield return ("invalid texts from the .cdpproj", fromProject);

        string[] model = ["NULL", "Yes", "True", "0x1F", "1:20", "", " a", "a ", "#x", "a: b", "2024-01-01", "~", "multi\nline", "it's"];
        var u = fromProject.Unifications[0];
        var inModel = fromProject with
        {
            Sources = [.. fromProject.Sources.Select(s => s with { StartDate = "2024-01-01" })],
            Unifications =
            [
                u with
                {
                    Keys = [.. u.Keys.Select(k => k with { InvalidTexts = model, ValidRegexp = k.ValidRegexp.Length > 0 ? "^a: b #x" + k.ValidRegexp : "" })],
                    MasterAttributes = [.. u.MasterAttributes.Select(a => a with { InvalidTexts = model, ValidRegexp = "yes" })],
                },
            ],
        };
        yield return ("nasty values in the model", inModel);
    }
}

/// <summary>python3 -c 'import yaml' run once per test run; safe_load of each document, written back as {type, text} JSON.</summary>
internal static class PythonYaml
{
    // Composed, not loaded: a mapping may hold several !include keys, which a dict would fold into one.
    const string Script = """
        import json, sys, yaml
        constructor = yaml.SafeLoader('')
        def scalar(n):
            if n.tag == '!include': return {'type': 'str', 'text': n.value}
            v = constructor.construct_object(n, deep=True)
            if v is None: return {'type': 'null', 'text': ''}
            if isinstance(v, bool): return {'type': 'bool', 'text': 'true' if v else 'false'}
            if isinstance(v, int): return {'type': 'int', 'text': str(v)}
            if isinstance(v, float): return {'type': 'float', 'text': repr(v)}
            if isinstance(v, str): return {'type': 'str', 'text': v}
            return {'type': type(v).__name__, 'text': str(v)}
        def shape(n):
            if n is None: return None
            if isinstance(n, yaml.ScalarNode): return scalar(n)
            if isinstance(n, yaml.SequenceNode): return [shape(i) for i in n.value]
            return [['!include' if k.tag == '!include' else (k.value if scalar(k)['type'] == 'str' else repr(scalar(k))), shape(v)] for k, v in n.value]
        docs = json.load(sys.stdin)
        json.dump([shape(yaml.compose(d, Loader=yaml.SafeLoader)) for d in docs], sys.stdout)
        """;

    public static bool Available { get; } = Probe();

    static bool Probe()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("python3", ["-c", "import yaml"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            p.WaitForExit(20_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    public static List<JsonElement> Load(IReadOnlyList<string> documents)
    {
        using var p = Process.Start(new ProcessStartInfo("python3", ["-c", Script])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        p.StandardInput.Write(JsonSerializer.Serialize(documents));
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000)) { p.Kill(); throw new AssertionException("python3 did not finish in 60 s."); }
        if (p.ExitCode != 0) throw new AssertionException("PyYAML failed: " + error.Result);
        return JsonSerializer.Deserialize<List<JsonElement>>(output.Result)!;
    }
}

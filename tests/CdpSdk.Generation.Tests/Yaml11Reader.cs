using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CdpSdk.Generation.Tests;

/// <summary>A YAML node as a YAML 1.1 reader sees it: a mapping, a sequence, or a scalar with the type it resolves to.</summary>
internal abstract record YNode;

internal sealed record YMap(IReadOnlyList<(YScalar Key, YNode Value)> Entries) : YNode
{
    public YNode this[string key] => Entries.Single(e => e.Key.Text == key && e.Key.Tag != "!include").Value;

    public YNode? Find(string key) => Entries.FirstOrDefault(e => e.Key.Text == key && e.Key.Tag != "!include").Value;
}

internal sealed record YSeq(IReadOnlyList<YNode> Items) : YNode;

/// <summary>Type is str, int, float, bool, null, timestamp, merge or value (YAML 1.1's names); Tag is an explicit tag such as !include.</summary>
internal sealed record YScalar(string Type, string Text, string Tag) : YNode
{
    public override string ToString() => $"{Type} '{Text}'";
}

/// <summary>
/// Reads YAML the way a YAML 1.1 loader (SnakeYAML in Digdag and TD, PyYAML's safe_load) types it: YamlDotNet's parser
/// gives the events, and every untagged plain scalar is resolved with the implicit resolvers of
/// yaml.org/type (bool, int, float, null, timestamp, merge, value) — and, so a YAML 1.2 reader cannot differ
/// either, with the YAML 1.2 core schema's too. Quoted and tagged scalars are strings.
/// </summary>
internal static class Yaml11Reader
{
    static readonly (string Type, Regex Pattern)[] Resolvers =
    [
        // YAML 1.1 (yaml.org/type/*.html), the regexes SnakeYAML's and PyYAML's resolvers use.
        ("bool", new(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")),
        ("int", new(@"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$")),
        ("float", new(@"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")),
        ("null", new(@"^(?:~|null|Null|NULL|)$")),
        ("timestamp", new(@"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*Z|[-+][0-9]{1,2}(?::[0-9]{2})?)?)$")),
        ("merge", new(@"^<<$")),
        ("value", new(@"^=$")),
        // YAML 1.2 core schema (yaml.org/spec/1.2.2 §10.3.2), where it reads more than 1.1 does (1e3, 0o17).
        ("int", new(@"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")),
        ("float", new(@"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$")),
    ];

    public static string Resolve(string plain) => Resolvers.FirstOrDefault(r => r.Pattern.IsMatch(plain)).Type ?? "str";

    public static YNode? Read(string text)
    {
        var parser = new Parser(new StringReader(text));
        parser.Consume<StreamStart>();
        if (parser.TryConsume<StreamEnd>(out _)) return null;
        parser.Consume<DocumentStart>();
        var root = parser.Accept<DocumentEnd>(out _) ? null : Node(parser);
        parser.Consume<DocumentEnd>();
        return root;
    }

    static YNode Node(IParser parser)
    {
        if (parser.TryConsume<Scalar>(out var s))
        {
            var tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
            var type = s.Style == ScalarStyle.Plain && tag.Length == 0 ? Resolve(s.Value) : "str";
            return new YScalar(type, s.Value, tag);
        }
        if (parser.TryConsume<SequenceStart>(out _))
        {
            var items = new List<YNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node(parser));
            return new YSeq(items);
        }
        if (parser.TryConsume<AnchorAlias>(out var alias)) throw new AssertionException($"Generated YAML uses an alias (*{alias.Value}).");
        parser.Consume<MappingStart>();
        var entries = new List<(YScalar, YNode)>();
        while (!parser.TryConsume<MappingEnd>(out _))
        {
            var key = Node(parser) as YScalar ?? throw new AssertionException("Generated YAML has a key that is not a scalar.");
            entries.Add((key, Node(parser)));
        }
        return new YMap(entries);
    }
}

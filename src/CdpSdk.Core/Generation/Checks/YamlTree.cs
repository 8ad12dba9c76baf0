using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace CdpSdk.Core.Generation.Checks;

/// <summary>A YAML node with the 1-based line and column it starts at.</summary>
public abstract record YamlTreeNode(int Line, int Column);

public sealed record YamlTreeScalar(string Value, string Tag, bool Plain, int Line, int Column) : YamlTreeNode(Line, Column)
{
    /// <summary>Digdag's <c>!include : file</c>: a key tagged !include whose value names the file to merge in.</summary>
    public bool IsInclude => Tag == "!include";
}

public sealed record YamlTreeSequence(IReadOnlyList<YamlTreeNode> Items, int Line, int Column) : YamlTreeNode(Line, Column);

public sealed record YamlTreeMapping(IReadOnlyList<(YamlTreeScalar Key, YamlTreeNode Value)> Entries, int Line, int Column) : YamlTreeNode(Line, Column)
{
    public YamlTreeNode? Get(string key) => Entries.FirstOrDefault(e => !e.Key.IsInclude && e.Key.Value == key).Value;
}

/// <summary>A YAML problem at a line of a file.</summary>
public sealed record YamlProblem(string Message, int Line, int Column, bool DuplicateKey);

/// <summary>
/// Reads YAML the way Digdag's loader does for the purpose of a push: one document, mappings with unique
/// keys (Digdag rejects duplicates, while most YAML libraries keep the last), and several
/// <c>!include :</c> keys allowed in one mapping. Built from parser events so every node keeps its line.
/// </summary>
public static class YamlTree
{
    public static (YamlTreeNode? Root, IReadOnlyList<YamlProblem> Problems) Parse(string text)
    {
        var problems = new List<YamlProblem>();
        try
        {
            var parser = new Parser(new StringReader(text));
            var anchors = new Dictionary<string, YamlTreeNode>(StringComparer.Ordinal);
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) return (null, problems);
            parser.Consume<DocumentStart>();
            var root = parser.Accept<DocumentEnd>(out _) ? null : Node(parser, anchors, problems);
            parser.Consume<DocumentEnd>();
            if (!parser.Accept<StreamEnd>(out _) && parser.Accept<ParsingEvent>(out var next))
            {
                problems.Add(new YamlProblem("holds more than one YAML document", (int)next.Start.Line, (int)next.Start.Column, false));
            }
            return (root, problems);
        }
        catch (YamlException e)
        {
            problems.Add(new YamlProblem(e.Message, (int)e.Start.Line, (int)e.Start.Column, false));
            return (null, problems);
        }
        // YamlDotNet's parser reports some broken inputs (an unclosed flow list at the end of the file) with
        // InvalidOperationException instead of YamlException; either way the text is not YAML to report, not a crash.
        catch (InvalidOperationException e)
        {
            problems.Add(new YamlProblem("is not valid YAML: " + e.Message + " (an unclosed [ or { or quote?)", LastLine(text), 1, false));
            return (null, problems);
        }
    }

    /// <summary>Nesting deeper than this is refused before the recursive reader below could exhaust the stack.</summary>
    const int MaxDepth = 256;

    static int LastLine(string text) => Math.Max(1, text.TrimEnd().Split('\n').Length);

    static YamlTreeNode Node(IParser parser, Dictionary<string, YamlTreeNode> anchors, List<YamlProblem> problems, int depth = 0)
    {
        if (!parser.Accept<ParsingEvent>(out var current)) throw new InvalidOperationException("the text ends inside a list or mapping");
        var (line, column) = ((int)current.Start.Line, (int)current.Start.Column);
        if (depth > MaxDepth) throw new YamlException(current.Start, current.End, $"nests lists and mappings deeper than {MaxDepth} levels");
        YamlTreeNode node;
        string anchor;
        if (parser.TryConsume<AnchorAlias>(out var alias))
            return anchors.TryGetValue(alias.Value.Value, out var target) ? target
                : throw new YamlException(alias.Start, alias.End, $"alias *{alias.Value} names no anchor");
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            node = new YamlTreeScalar(scalar.Value, scalar.Tag.IsEmpty ? "" : scalar.Tag.Value, scalar.Style == ScalarStyle.Plain, line, column);
            anchor = scalar.Anchor.IsEmpty ? "" : scalar.Anchor.Value;
        }
        else if (parser.TryConsume<SequenceStart>(out var seq))
        {
            var items = new List<YamlTreeNode>();
            while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(Node(parser, anchors, problems, depth + 1));
            node = new YamlTreeSequence(items, line, column);
            anchor = seq.Anchor.IsEmpty ? "" : seq.Anchor.Value;
        }
        else
        {
            var map = parser.Consume<MappingStart>();
            var entries = new List<(YamlTreeScalar, YamlTreeNode)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyNode = Node(parser, anchors, problems, depth + 1);
                var value = Node(parser, anchors, problems, depth + 1);
                if (keyNode is not YamlTreeScalar key)
                {
                    problems.Add(new YamlProblem("has a mapping key that is not a plain value", keyNode.Line, keyNode.Column, false));
                    continue;
                }
                if (!key.IsInclude && !seen.Add(key.Value))
                    problems.Add(new YamlProblem($"has the key '{key.Value}' twice in one mapping", key.Line, key.Column, true));
                entries.Add((key, value));
            }
            node = new YamlTreeMapping(entries, line, column);
            anchor = map.Anchor.IsEmpty ? "" : map.Anchor.Value;
        }
        if (anchor.Length > 0) anchors[anchor] = node;
        return node;
    }
}

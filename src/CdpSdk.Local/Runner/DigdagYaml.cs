using CdpSdk.Core.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CdpSdk.Local.Runner;

/// <summary>
/// Reads Digdag YAML into plain values: ordered maps (task order is the key order), lists and strings.
/// Digdag's <c>!include : 'file'</c> is a mapping key tagged !include; the file's mapping is merged in its place.
/// </summary>
internal static class DigdagYaml
{
    const int MaxIncludeDepth = 16;

    public static OrderedDictionary<string, object?> Load(ProjectFiles files, string path) => LoadMapping(files, path, 0);

    static OrderedDictionary<string, object?> LoadMapping(ProjectFiles files, string path, int depth)
    {
        if (depth > MaxIncludeDepth)
            throw new CdpException(LocalErrors.BadWorkflowFile, $"'{path}' is included more than {MaxIncludeDepth} levels deep (an include cycle?).");
        var text = files.Read(path);
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.FirstOrDefault()?.RootNode;
        }
        catch (YamlException e)
        {
            throw new CdpException(LocalErrors.BadWorkflowFile, $"'{path}' is not valid YAML ({e.Start.Line},{e.Start.Column}): {e.Message}");
        }
        return root switch
        {
            null => new OrderedDictionary<string, object?>(),
            YamlMappingNode m => Mapping(files, path, m, depth),
            _ => throw new CdpException(LocalErrors.BadWorkflowFile, $"'{path}' must be a YAML mapping."),
        };
    }

    static object? Convert(ProjectFiles files, string path, YamlNode node, int depth) => node switch
    {
        YamlScalarNode s => s.Value is "~" or "null" && s.Style == YamlDotNet.Core.ScalarStyle.Plain ? null : s.Value ?? "",
        YamlSequenceNode q => q.Children.Select(c => Convert(files, path, c, depth)).ToList(),
        YamlMappingNode m => Mapping(files, path, m, depth),
        _ => null,
    };

    static OrderedDictionary<string, object?> Mapping(ProjectFiles files, string path, YamlMappingNode node, int depth)
    {
        var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Tag.IsEmpty: false } k && k.Tag.Value == "!include")
            {
                var included = value is YamlScalarNode f ? f.Value ?? "" : "";
                foreach (var (ik, iv) in LoadMapping(files, files.Resolve(path, included), depth + 1)) map[ik] = iv;
                continue;
            }
            map[key is YamlScalarNode ks ? ks.Value ?? "" : key.ToString()] = Convert(files, path, value, depth);
        }
        return map;
    }
}

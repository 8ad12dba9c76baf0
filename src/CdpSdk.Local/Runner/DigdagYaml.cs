using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Local.Runner;

/// <summary>
/// Reads Digdag YAML into plain values: ordered maps (task order is the key order), lists, and scalars typed
/// as Digdag types them (<see cref="DigdagScalar"/>).
/// Digdag's <c>!include : 'file'</c> is a mapping key tagged !include (one mapping may hold several, as
/// TD's own workflows do); the file's mapping is merged in its place. Duplicate keys are refused, as Digdag does.
/// </summary>
internal static class DigdagYaml
{
    const int MaxIncludeDepth = 16;

    public static OrderedDictionary<string, object?> Load(ProjectFiles files, string path) => LoadMapping(files, path, 0);

    static OrderedDictionary<string, object?> LoadMapping(ProjectFiles files, string path, int depth)
    {
        if (depth > MaxIncludeDepth)
            throw new CdpException(LocalErrors.BadWorkflowFile, $"'{path}' is included more than {MaxIncludeDepth} levels deep (an include cycle?).");
        var (root, problems) = YamlTree.Parse(files.Read(path));
        if (problems.Count > 0)
            throw new CdpException(LocalErrors.BadWorkflowFile, LocalMessages.Current.WorkflowNotYaml(path, problems[0].Line, problems[0].Column, problems[0].Message),
                cause: new FailureCause(FailureKind.WorkflowSyntax, File: path, Line: problems[0].Line));
        return root switch
        {
            null => new OrderedDictionary<string, object?>(),
            YamlTreeMapping m => Mapping(files, path, m, depth),
            _ => throw new CdpException(LocalErrors.BadWorkflowFile, $"'{path}' must be a YAML mapping."),
        };
    }

    static object? Convert(ProjectFiles files, string path, YamlTreeNode node, int depth) => node switch
    {
        YamlTreeScalar s => s.Plain && s.Tag.Length == 0 ? DigdagScalar.Resolve(s.Value) : s.Value,
        YamlTreeSequence q => q.Items.Select(c => Convert(files, path, c, depth)).ToList(),
        YamlTreeMapping m => Mapping(files, path, m, depth),
        _ => null,
    };

    static OrderedDictionary<string, object?> Mapping(ProjectFiles files, string path, YamlTreeMapping node, int depth)
    {
        var map = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Entries)
        {
            if (key.IsInclude)
            {
                var included = value is YamlTreeScalar f ? f.Value : "";
                foreach (var (ik, iv) in LoadMapping(files, files.Resolve(path, included), depth + 1)) map[ik] = iv;
                continue;
            }
            map[key.Value] = Convert(files, path, value, depth);
        }
        return map;
    }
}

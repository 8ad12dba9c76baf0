using CdpSdk.Core.Model;

namespace CdpSdk.Core.Generation;

/// <summary>One file of a workflow project; <see cref="RelativePath"/> uses '/'.</summary>
public sealed record GeneratedFile(string RelativePath, string Content);

/// <summary>
/// A phase's deployable Digdag project: its files, and the workflows (top-level .dig names without
/// extension) Execute starts, in order.
/// </summary>
public sealed record GeneratedProject(Phase Phase, string ProjectName, IReadOnlyList<GeneratedFile> Files, IReadOnlyList<string> Workflows);

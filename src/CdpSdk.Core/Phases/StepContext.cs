using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases;

/// <summary>Everything one step of one phase needs.</summary>
public sealed record StepContext(
    PipelineSpec Spec,
    Phase Phase,
    string ConfigHash,
    StateStore State,
    Func<IWorkflowBackend> Backend,
    ICdpLog Log,
    CancellationToken Cancellation)
{
    public string ProjectDirectory => Path.Combine(Spec.Settings.GeneratedDir, Phase.FolderName());

    public string ProjectName => Spec.ProjectName(Phase);
}

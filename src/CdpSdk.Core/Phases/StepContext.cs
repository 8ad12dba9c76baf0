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

    /// <summary>The SDK version the configuration hash was computed with, so a fix that changes the configuration can hash it the same way.</summary>
    public string SdkVersion { get; init; } = "";

    /// <summary>The .cdpproj, for fixes that correct a setting in it (empty: fixes edit other files only).</summary>
    public string ProjectFile { get; init; } = "";

    /// <summary>Makes a backend for a given spec, so a fix that changes a runtime setting (e.g. creating missing databases) reaches the backend.</summary>
    public Func<PipelineSpec, IWorkflowBackend>? BackendFor { get; init; }

    /// <summary>The same step with another spec, and a backend that follows it when <see cref="BackendFor"/> is known.</summary>
    public StepContext WithSpec(PipelineSpec spec) => this with { Spec = spec, Backend = BackendFor is null ? Backend : () => BackendFor(spec) };

    /// <summary>Why the step runs, from the build's plan ("sql/web_signups.sql changed"); logged with step_started.</summary>
    public string? Reason { get; init; }

    /// <summary>Which run of the step this is within one build (retries count up from 1).</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>obj/cdp/backups/: where fixes and regenerations save files before touching them.</summary>
    public string BackupsDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(State.Path)!, "backups");
}

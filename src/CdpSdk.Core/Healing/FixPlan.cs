using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;

namespace CdpSdk.Core.Healing;

/// <summary>
/// A fix made concrete for this project: what it changes (shown to the user before approval), the
/// files it touches (backed up first), where the phase resumes, and the change itself, which returns
/// the context the resumed steps run with.
/// </summary>
public sealed record FixPlan(string Summary, string? Diff, Step ResumeAt, IReadOnlyList<string> FilesTouched, Func<StepContext, Task<StepContext>> Apply)
{
    /// <summary>Where the change is (the first edited line), so the build error points at it.</summary>
    public Diagnostics.SourceLocation? At { get; init; }

    public static FixPlan Rerun(string summary, Step resumeAt) => new(summary, null, resumeAt, [], Task.FromResult);
}

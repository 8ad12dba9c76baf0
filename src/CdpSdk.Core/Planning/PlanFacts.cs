using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Planning;

/// <summary>What the planner knows of one phase, read from the disk beforehand so the planner itself reads nothing.</summary>
/// <param name="Current">The phase's inputs now.</param>
/// <param name="Previous">The inputs its last successful Generate recorded (inputs.json); null when there is no record.</param>
/// <param name="RecordedConfigHash">config.hash as on disk before this build, for a phase generated before inputs.json existed.</param>
/// <param name="Stamps">The steps whose stamp exists: a stamp is written only when its step succeeded.</param>
/// <param name="WrittenThisBuild">Input files (project-relative) last written after this build started: a hook of this build wrote them.</param>
/// <param name="EditedSinceDeploy">Generated files (relative to the phase's folder) whose bytes differ from what Generate wrote and that changed after the last Deploy.</param>
/// <param name="DeletedGenerated">Generated files (relative to the phase's folder) that Generate wrote and that are gone.</param>
/// <param name="RegeneratesSame">Whether the configuration now generates exactly the bytes Generate recorded (then deleted files are only written again).</param>
public sealed record PhaseFacts(
    Phase Phase,
    PhaseInputs Current,
    PhaseInputs? Previous,
    string? RecordedConfigHash,
    IReadOnlySet<Step> Stamps,
    IReadOnlySet<string> WrittenThisBuild,
    IReadOnlyList<string> EditedSinceDeploy,
    IReadOnlyList<string> DeletedGenerated,
    bool RegeneratesSame)
{
    public IReadOnlyList<string> Tables { get; init; } = [];
}

/// <param name="InBuild">The phases this build runs, in order (all four, or the one CdpPhase names).</param>
/// <param name="Goal">The last step the build asks for.</param>
/// <param name="WarehouseGone">The Local warehouse's system database is missing: what Deploy…Validate did is gone with it.</param>
/// <param name="SkipFailed">The phases CdpSkipFailedPhase names.</param>
/// <param name="Hooks">The user's CdpGenerateDependsOn targets that ran before the plan (empty: none).</param>
/// <param name="Local">Whether the target is Local (the warehouse reason applies only there).</param>
public sealed record PlanFacts(
    PipelineState State,
    IReadOnlyDictionary<Phase, PhaseFacts> Phases,
    IReadOnlyList<Phase> InBuild,
    Step Goal,
    bool WarehouseGone,
    IReadOnlySet<Phase> SkipFailed,
    string Hooks,
    string BuildStartedAt,
    bool Local = true);

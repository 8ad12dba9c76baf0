using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Diagnosis;

/// <summary>How a proposed fix may be applied.</summary>
public enum FixKind
{
    /// <summary>Safe to apply without asking (in Autonomous mode, when confident enough).</summary>
    Automatic,
    /// <summary>Changes something the user owns: applied only with -p:CdpApprove=&lt;code&gt;.</summary>
    NeedsApproval,
    /// <summary>Only the user can fix it (credentials, access): the build stops with instructions.</summary>
    Impossible,
}

/// <summary>A failure as the pipeline saw it: its coded error, its cause as a record, and where it happened.</summary>
/// <param name="Message">The error as the user read it; the catalogue quotes it but never matches on it.</param>
/// <param name="KnownColumns">Columns of the table involved, when known, so a wrong column name can be matched to the closest ones.</param>
public sealed record Failure(string Code, string Message, FailureCause Cause, Phase? Phase = null, Step? Step = null, string? File = null, IReadOnlyList<string>? KnownColumns = null)
{
    /// <summary>The failure a diagnostic reports: the cause its raiser recorded, else the kind its code always means.</summary>
    public static Failure Of(Diagnostic d, Phase? phase = null, Step? step = null, IReadOnlyList<string>? knownColumns = null) =>
        new(d.Code, d.Message, d.Cause ?? FailureKinds.OfCode(d.Code), phase, step, d.Location.File.Length > 0 ? d.Location.File : null, knownColumns);

    public FailureKind Kind => Cause.Kind;
}

/// <summary>What would fix it: words, and where it applies, a diff or a command.</summary>
public sealed record ProposedFix(string Description, string? Diff = null, string? Command = null);

/// <summary>A coded explanation of a failure with a proposed fix, how sure we are, and who may apply it.</summary>
public sealed record Diagnosis(string Code, string Title, string Cause, ProposedFix Fix, double Confidence, FixKind Kind, Failure Failure)
{
    /// <summary>The switch that approves this diagnosis's fix on the next build.</summary>
    public string ApprovalSwitch => $"-p:CdpApprove={Code}";

    /// <summary>Whether Autonomous mode may apply the fix without asking.</summary>
    public bool AppliesAutonomously(double minConfidence) => Kind != FixKind.Impossible && Confidence >= minConfidence;
}

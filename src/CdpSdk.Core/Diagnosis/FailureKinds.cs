using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// The kind a failure has when its raiser gave no cause: codes whose meaning is fixed by docs/errors.md
/// (a code is part of our contract, its wording is not).
/// </summary>
public static class FailureKinds
{
    public static FailureCause OfCode(string code) => new(code switch
    {
        "CDP4002" => FailureKind.Timeout,
        "CDP4003" => FailureKind.Killed,
        DiagnosisCatalog.HandEdited => FailureKind.HandEdited,
        // CDP1xxx: a generated workflow project breaks a Digdag rule; CDP3006: the Local runner cannot read a workflow file.
        "CDP3006" => FailureKind.WorkflowSyntax,
        _ when code.StartsWith("CDP1", StringComparison.Ordinal) => FailureKind.WorkflowSyntax,
        // CDP5xxx: a phase's output failed validation.
        _ when code.StartsWith("CDP5", StringComparison.Ordinal) => FailureKind.Validation,
        _ => FailureKind.Unknown,
    });
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Text;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// Maps a failure to a coded diagnosis: what caused it, the fix we propose, how confident we are, and
/// whether the fix is automatic, needs approval, or only the user can make it. It matches on the failure's
/// kind and subject (<see cref="FailureCause"/>), never on message text: the adapter that saw the failure
/// decided what it is. Codes are CDP61xx (docs/errors.md).
/// </summary>
public static class DiagnosisCatalog
{
    public const string WorkflowSyntax = "CDP6101";
    public const string MissingDatabase = "CDP6102";
    public const string MissingTable = "CDP6103";
    public const string MissingColumn = "CDP6104";
    public const string Authentication = "CDP6105";
    public const string MissingSecret = "CDP6106";
    public const string Timeout = "CDP6107";
    public const string KilledAttempt = "CDP6108";
    public const string TransientApi = "CDP6109";
    public const string ValidationFailed = "CDP6110";
    public const string HandEdited = "CDP6111";
    public const string Unknown = "CDP6199";

    /// <summary>Every diagnosis code: the values CdpApprove accepts.</summary>
    public static readonly IReadOnlyList<string> Codes =
    [
        WorkflowSyntax, MissingDatabase, MissingTable, MissingColumn, Authentication, MissingSecret, Timeout, KilledAttempt, TransientApi, ValidationFailed, HandEdited,
    ];

    public static Diagnosis Diagnose(Failure failure) => failure.Kind switch
    {
        FailureKind.HandEdited => HandEdit(failure),
        FailureKind.Authentication => Auth(failure),
        FailureKind.MissingSecret => Secret(failure),
        FailureKind.MissingColumn => Column(failure),
        FailureKind.MissingTable => Table(failure),
        FailureKind.MissingDatabase => Database(failure),
        FailureKind.WorkflowSyntax => Syntax(failure),
        FailureKind.Timeout => TimedOut(failure),
        FailureKind.Killed => Killed(failure),
        FailureKind.Transient => Transient(failure),
        FailureKind.Validation => Validation(failure),
        _ => Unrecognised(failure),
    };

    static Diagnosis Unrecognised(Failure failure) =>
        new(Unknown, "Unrecognised failure", failure.Message,
            new ProposedFix("No automatic fix is known: read the error and the task log, fix the cause, and build again."), 0, FixKind.Impossible, failure);

    // Raised by the pipeline itself (HandEditedFiles) with the files and a diff in its message; only the user may choose.
    static Diagnosis HandEdit(Failure f) =>
        new(HandEdited, "A generated file was edited by hand", $"{(f.File is null ? "A generated file" : $"'{f.File}'")} differs from what Generate wrote (its hash is in obj/cdp/pipeline_state.json); regenerating or deploying would overwrite or push the edit unseen.",
            new ProposedFix($"Regenerate it, the edited file backed up under obj/cdp/backups/ first (-p:CdpApprove={HandEdited}), or deploy it as edited (-p:CdpHandEditedFiles=Keep). To keep a change for good, move it into the .cdpproj (e.g. TransformSql)."),
            0.9, FixKind.NeedsApproval, f);

    static Diagnosis Auth(Failure f)
    {
        // An HTTP source (Local) names the variable its header comes from; otherwise it is TD's API key.
        if (f.Cause.EnvironmentVariable is { } variable)
            return new(Authentication, "Authentication failed", $"An HTTP source's API rejected the Authorization header taken from {variable} (HTTP 401/403): it is wrong, expired, or lacks access.",
                new ProposedFix($"Set {variable} to a valid Authorization header value (e.g. 'Bearer <token>'), then build again."),
                1.0, FixKind.Impossible, f);
        return new(Authentication, "Authentication failed", "Treasure Data rejected the API key (HTTP 401/403): it is wrong, expired, or lacks access to this database or project.",
            new ProposedFix("Set a valid key in the TD_API_KEY environment variable (or run 'td account' to update ~/.td/td.conf), then build again."),
            1.0, FixKind.Impossible, f);
    }

    static Diagnosis Secret(Failure f)
    {
        var name = f.Cause.Subject ?? f.Cause.EnvironmentVariable ?? "?";
        return new(MissingSecret, $"Secret '{name}' is missing", f.Cause.EnvironmentVariable is { } variable
                ? $"The pipeline reads the secret from the environment variable {variable} (e.g. an HTTP source's AuthHeaderEnv), which is not set."
                : $"A workflow reads ${{secret:{name}}}, but the project has no such secret.",
            new ProposedFix($"Provide '{name}' (environment variable or the secrets file named in the docs) and build again; secrets are never written to project files."),
            1.0, FixKind.Impossible, f);
    }

    static Diagnosis Column(Failure f)
    {
        var name = f.Cause.Subject ?? "?";
        var closest = EditDistance.Closest(name, f.KnownColumns ?? []);
        if (closest.Count == 0)
            return new(MissingColumn, $"Column '{name}' does not exist", $"A query names column '{name}', which its table does not have.",
                new ProposedFix($"Check the column names in the .cdpproj (e.g. EmailColumns, KeyColumns) against the table; the table's columns were not available to suggest one."),
                0.3, FixKind.NeedsApproval, f);
        var best = closest[0];
        // Confidence falls with the edit distance relative to the name's length; a unique close match is likelier.
        var confidence = Math.Round(Math.Max(0, 1.0 - (double)best.Distance / Math.Max(name.Length, best.Name.Length)) * (closest.Count > 1 && closest[1].Distance == best.Distance ? 0.7 : 1.0), 2);
        var suggestions = string.Join(", ", closest.Select(c => $"'{c.Name}'"));
        return new(MissingColumn, $"Column '{name}' does not exist", $"A query names column '{name}'; the closest existing columns are {suggestions}.",
            new ProposedFix($"Replace '{name}' with '{best.Name}' in the project setting that produced it, then regenerate.", Diff: $"- {name}\n+ {best.Name}"),
            confidence, FixKind.NeedsApproval, f);
    }

    static Diagnosis Table(Failure f)
    {
        var name = f.Cause.Subject ?? "?";
        return new(MissingTable, $"Table '{name}' does not exist", $"A query reads '{name}', which the upstream phase did not leave (it failed, was skipped, or wrote elsewhere).",
            new ProposedFix("Run the upstream phase again, then this one.", Command: "dotnet build -t:CdpPipeline"),
            0.7, FixKind.NeedsApproval, f);
    }

    static Diagnosis Database(Failure f)
    {
        var name = f.Cause.Subject ?? "?";
        return new(MissingDatabase, $"Database '{name}' does not exist", $"The pipeline writes to '{name}', which does not exist yet.",
            new ProposedFix($"Create database '{name}'.", Command: $"td db:create {name}"),
            // Creating a database on the account is visible to others: approval in HumanInLoop, automatic in Autonomous.
            0.95, FixKind.NeedsApproval, f);
    }

    // On Local the runner's CDP3006 reaches the build inside the failed workflow's CDP4001; TD checks a
    // project's workflow files when it is pushed, and a 400 naming a .dig (CDP2001) is the same failure.
    static Diagnosis Syntax(Failure f)
    {
        var file = !string.IsNullOrEmpty(f.Cause.File) ? f.Cause.File : f.File;
        return new(WorkflowSyntax, "A workflow file is invalid", $"{(file is null ? "A workflow file" : $"'{file}'")} does not parse or breaks a Digdag rule: {f.Message}",
            new ProposedFix("Regenerate the workflow project from the .cdpproj (a hand edit is backed up first).", Command: "dotnet build -t:CdpGenerate"),
            // Regenerating discards a hand edit (after a backup): the user approves it unless Autonomous.
            0.9, FixKind.NeedsApproval, f);
    }

    static Diagnosis TimedOut(Failure f) =>
        new(Timeout, "The workflow ran longer than CdpMonitorTimeout", "The session was still running when Monitor gave up; it may still finish on its own.",
            new ProposedFix("Monitor the same session again with twice the timeout (the session is reattached, not restarted)."),
            0.8, FixKind.Automatic, f);

    static Diagnosis Killed(Failure f) =>
        new(KilledAttempt, "The workflow attempt was killed", "Someone or something killed the attempt before it finished.",
            new ProposedFix("Start a new attempt of the same session, resuming from the failed tasks."),
            0.6, FixKind.NeedsApproval, f);

    static Diagnosis Transient(Failure f) =>
        new(TransientApi, "A transient service failure", "The service answered with a retryable status (408, 429, 5xx) or the connection failed.",
            new ProposedFix("Retry the step with exponential backoff."), 1.0, FixKind.Automatic, f);

    static Diagnosis Validation(Failure f) =>
        new(ValidationFailed, "The phase's output failed validation", f.Message,
            new ProposedFix("Fix the data or the setting the check names, then re-run the phase.", Command: $"dotnet build -t:CdpValidate -p:CdpPhase={f.Phase}"),
            0.5, FixKind.NeedsApproval, f);
}

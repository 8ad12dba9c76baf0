namespace CdpSdk.Core.Diagnostics;

public enum DiagnosticSeverity { Error, Warning, Message }

/// <summary>A user-facing finding with a CDPnnnn code; MSBuild tasks log it with its location and help link.</summary>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message, SourceLocation Location)
{
    public const string HelpBase = "https://github.com/cdpsdk/cdpsdk/blob/main/docs/errors.md#";

    public string HelpLink => HelpBase + Code.ToLowerInvariant();

    /// <summary>What kind of failure this is, when the code that raised it knows (see <see cref="FailureCause"/>).</summary>
    public FailureCause? Cause { get; init; }

    public static Diagnostic Error(string code, string message, SourceLocation? at = null) =>
        new(code, DiagnosticSeverity.Error, message, at ?? SourceLocation.None);

    public static Diagnostic Warning(string code, string message, SourceLocation? at = null) =>
        new(code, DiagnosticSeverity.Warning, message, at ?? SourceLocation.None);

    public override string ToString() => $"{Location}: {Severity.ToString().ToLowerInvariant()} {Code}: {Message}";
}

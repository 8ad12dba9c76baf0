namespace CdpSdk.Core.Diagnostics;

/// <summary>
/// A failure the user can act on. Carries a coded diagnostic so tasks log it as an MSBuild error
/// instead of a stack trace.
/// </summary>
public sealed class CdpException : Exception
{
    public CdpException(Diagnostic diagnostic, Exception? inner = null) : base(diagnostic.Message, inner) =>
        Diagnostic = diagnostic;

    public CdpException(string code, string message, SourceLocation? at = null, Exception? inner = null, FailureCause? cause = null)
        : this(Diagnostic.Error(code, message, at) with { Cause = cause }, inner) { }

    public Diagnostic Diagnostic { get; }
}

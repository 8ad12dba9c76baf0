using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Healing;

/// <summary>
/// The log of one attempt at a step: progress and warnings go straight through, errors wait until we know
/// whether the attempt is healed (then they become warnings: the build did not fail) or not (they stay errors).
/// </summary>
internal sealed class DeferredLog(ICdpLog inner) : ICdpLog
{
    readonly List<Diagnostic> _errors = [];

    public void Info(string message, bool important = false) => inner.Info(message, important);

    public void Progress(WorkProgress now) => inner.Progress(now);

    public bool ShowsProgress => inner.ShowsProgress;

    public void Report(Diagnostic diagnostic)
    {
        if (diagnostic.Severity != DiagnosticSeverity.Error) inner.Report(diagnostic);
        else lock (_errors) _errors.Add(diagnostic);
    }

    /// <summary>Releases the held errors, as errors or (healed) as warnings.</summary>
    public void Release(bool asErrors)
    {
        lock (_errors)
        {
            foreach (var e in _errors) inner.Report(asErrors ? e : e with { Severity = DiagnosticSeverity.Warning });
            _errors.Clear();
        }
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace CdpSdk.Tasks;

/// <summary>
/// Forwards core progress and coded diagnostics to the MSBuild log (with file, line and help link), and the work
/// in progress to the terminal logger's live line when there is one.
/// </summary>
internal sealed class MSBuildLog(TaskLoggingHelper log, string projectFile, TerminalLoggerStatus? live = null) : ICdpLog
{
    public void Info(string message, bool important = false) =>
        log.LogMessage(important ? MessageImportance.High : MessageImportance.Normal, "{0}", message);

    public void Progress(WorkProgress now) => live?.Show(now);

    public bool ShowsProgress => live is not null;

    public void Report(Diagnostic d)
    {
        var file = d.Location.File.Length > 0 ? d.Location.File : projectFile;
        if (d.Severity == DiagnosticSeverity.Error)
            log.LogError(null, d.Code, null, d.HelpLink, file, d.Location.Line, d.Location.Column, 0, 0, "{0}", d.Message);
        else if (d.Severity == DiagnosticSeverity.Warning)
            log.LogWarning(null, d.Code, null, d.HelpLink, file, d.Location.Line, d.Location.Column, 0, 0, "{0}", d.Message);
        else
            log.LogMessage(MessageImportance.High, "{0}", d.Message);
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Writes bin/cdp/report.md and report.html from the pipeline state, the spec and the warehouse. Runs at
/// the end of CdpPipeline whether the phases succeeded or not, so a failed run still leaves a report.
/// </summary>
public sealed class CdpReport : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";

    [Output] public string ReportFile { get; set; } = "";
    [Output] public string MarkdownFile { get; set; } = "";

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        try
        {
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json")).Load();
            IWorkflowBackend? backend = null;
            try { backend = BackendFactory.Create(spec, new MemoryLog()); }
            catch (CdpException e) { Log.LogMessage(MessageImportance.Normal, "The report is written without warehouse figures: {0}", e.Message); }
            using (backend)
            {
                var written = ReportWriter.WriteAsync(spec, state, ProjectFile, IntermediateDir, backend, CancellationToken.None).GetAwaiter().GetResult();
                ReportFile = written.Html;
                MarkdownFile = written.Markdown;
                foreach (var note in written.Data.Notes) Log.LogMessage(MessageImportance.Normal, "{0}", note);
            }
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        return !Log.HasLoggedErrors;
    }
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Reporting;
using CdpSdk.Core.State;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Writes bin/cdp/report.md and report.html from the pipeline state, the spec and the warehouse. Runs at
/// the end of CdpPipeline whether the phases succeeded or not, so a failed run still leaves a report.
/// There it is given the build's start: the report says what this build did, and run_results.json is
/// rewritten for the build. On its own (-t:CdpReport) it describes the last build that wrote run_results.json.
/// </summary>
public sealed class CdpReport : Microsoft.Build.Utilities.Task
{
    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";

    /// <summary>When the pipeline build started (round-trip UTC); empty when the report is built on its own.</summary>
    public string BuildStartedAt { get; set; } = "";

    [Output] public string ReportFile { get; set; } = "";
    [Output] public string MarkdownFile { get; set; } = "";

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        try
        {
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var statePath = Path.Combine(IntermediateDir, "pipeline_state.json");
            var state = new StateStore(statePath).Load();
            var resultsPath = Core.Results.RunResults.Beside(statePath);
            var buildStartedAt = BuildOutcome.ParseStart(BuildStartedAt);
            if (buildStartedAt is not null) Core.Results.RunResults.Write(state, resultsPath, buildStartedAt, BuildOutcome.ConfigHashes(IntermediateDir));
            else buildStartedAt = Core.Results.RunResults.LastBuildStartedAt(resultsPath);
            IWorkflowBackend? backend = null;
            try { backend = BackendFactory.Create(spec, new MemoryLog()); }
            catch (CdpException e) { Log.LogMessage(MessageImportance.Normal, "The report is written without warehouse figures: {0}", e.Message); }
            using (backend)
            {
                var written = ReportWriter.WriteAsync(spec, state, ProjectFile, IntermediateDir, backend, CancellationToken.None, buildStartedAt).GetAwaiter().GetResult();
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

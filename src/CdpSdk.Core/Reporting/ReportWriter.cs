using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;

namespace CdpSdk.Core.Reporting;

/// <summary>Writes report.md and report.html into CdpReportDir (each replaced whole, never half written).</summary>
public static class ReportWriter
{
    public sealed record Written(string Markdown, string Html, ReportData Data);

    /// <param name="buildStartedAt">The build the report describes (see ReportBuilder); null for a report of the state alone.</param>
    public static async Task<Written> WriteAsync(PipelineSpec spec, PipelineState state, string projectFile, string intermediateDir, IWorkflowBackend? backend, CancellationToken ct,
        DateTimeOffset? buildStartedAt = null)
    {
        var data = await ReportBuilder.BuildAsync(spec, state, projectFile, intermediateDir, backend, ct, buildStartedAt);
        var dir = spec.Settings.ReportDir.Length > 0 ? spec.Settings.ReportDir : Path.Combine(spec.Settings.ProjectDirectory, "bin", "cdp");
        var md = Path.Combine(dir, "report.md");
        var html = Path.Combine(dir, "report.html");
        try
        {
            Directory.CreateDirectory(dir);
            Replace(md, MarkdownReport.Render(data));
            Replace(html, HtmlReport.Render(data));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CdpException("CDP5501", $"The report could not be written to '{dir}': {e.Message}. Check CdpReportDir.", new SourceLocation(projectFile), e);
        }
        return new Written(md, html, data);
    }

    static void Replace(string path, string content)
    {
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}

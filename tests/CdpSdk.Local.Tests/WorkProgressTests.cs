using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>The Local runner says which task of which workflow runs, as each starts: what the terminal logger's live line shows.</summary>
public sealed class WorkProgressTests : RetailSampleTest
{
    [Test]
    public async Task EachTaskReportsItsStartUnderItsWorkflowInTheOrderTheyRun()
    {
        var spec = Sample.Spec();
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);

        var progressed = Sample.Log.Progressed;
        Assert.That(progressed.Select(p => p.Workflow).Distinct(), Is.SupersetOf(new[] { "shopify_ingest_hist", "shopify_ingest_inc", "pos_ingest_inc", "web_ingest_inc" }));
        Assert.That(progressed.All(p => p.Task!.StartsWith("+" + p.Workflow, StringComparison.Ordinal)), Is.True, string.Join("\n", progressed));
        // The workflow's root task first (shown as the workflow alone), then each task once, a group before the tasks under it.
        var web = progressed.Where(p => p.Workflow == "web_ingest_inc").ToList();
        Assert.That(web[0].TaskInWorkflow, Is.Null);
        var inc = web.Skip(1).Select(p => p.TaskInWorkflow!).ToList();
        Assert.That(inc, Is.Unique);
        Assert.That(inc, Has.Some.Match(@"^\+load_signups\+"), string.Join("\n", inc));
        Assert.That(inc.IndexOf("+load_signups"), Is.LessThan(inc.FindIndex(t => t.StartsWith("+load_signups+", StringComparison.Ordinal))));
    }
}

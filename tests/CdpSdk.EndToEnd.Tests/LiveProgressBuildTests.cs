using System.Net;
using System.Text;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// A long Execute in a pseudo-terminal, with the terminal logger: its live line names the workflow and the task
/// in progress, and the task's elapsed time moves on while it runs. The long task is a load from an HTTP API
/// on 127.0.0.1 that answers after a few seconds, as a slow API does; the product has no sleep for it.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class LiveProgressBuildTests
{
    /// <summary>Long enough for the live line to be redrawn with 1s and 2s; short enough for a quick test.</summary>
    static readonly TimeSpan ApiDelay = TimeSpan.FromSeconds(3.5);

    SlowContactsApi _api = null!;

    [OneTimeSetUp]
    public void StartApi() => _api = new SlowContactsApi(ApiDelay);

    [OneTimeTearDown]
    public void StopApi() => _api.Dispose();

    string Workspace()
    {
        var dir = PackedSdk.NewWorkspace("live");
        File.WriteAllText(Path.Combine(dir, "live.cdpproj"), $"""
            <Project Sdk="CdpSdk">
              <PropertyGroup>
                <CdpClient>live</CdpClient>
              </PropertyGroup>
              <ItemGroup>
                <CdpSource Include="crm" Connector="http" Mode="incremental" IncrementalField="updated_at" />
                <CdpObject Include="contacts" Source="crm" Location="{_api.Url}/contacts" />
                <CdpStaging Include="crm_contacts" EmailColumns="email" />
                <CdpUnification Include="people" IdMethod="persistent_id" />
                <CdpUnificationKey Include="email" ValidRegexp=".*@.*" />
                <CdpUnificationTable Include="crm_contacts" KeyColumns="cleaned_email:email" />
              </ItemGroup>
            </Project>
            """);
        return dir;
    }

    static readonly string[] IngestionExecute = ["build", "live.cdpproj", "-t:CdpExecute", "-p:CdpPhase=Ingestion", "-nodeReuse:false"];

    [Test]
    public void TheLiveLineShowsTheWorkflowAndTaskInProgressWithTheirElapsedTime()
    {
        if (!PseudoTerminal.Available) Assert.Ignore("util-linux 'script' is needed for a pseudo-terminal");

        var result = PseudoTerminal.Dotnet(Workspace(), [.. IngestionExecute, "-tl:on"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        // "live Ingestion Execute crm_ingest_inc › +load_contacts+load, 2s (5.1s)": phase and step, workflow › task, the
        // task's time, then the terminal logger's own time of the phase build.
        var task = @"live Ingestion Execute crm_ingest_inc › \+\S*contacts\S*";
        Assert.That(result.Output, Does.Match(task + @", 0s \([\d.]+s\)"), result.Output);
        Assert.That(result.Output, Does.Match(task + @", [12]s \([\d.]+s\)"), "the task's elapsed time moves on while it runs\n" + result.Output);
        Assert.That(result.Output, Does.Match(@"live Ingestion Execute crm_ingest_inc, 0s"), "the workflow is shown as it starts\n" + result.Output);
        Assert.That(result.Output, Does.Contain("Build succeeded"), result.Output);
    }

    [Test]
    public void TheClassicConsoleLoggerPrintsNoLiveLines()
    {
        var result = DotNet.Run(Workspace(), null, [.. IngestionExecute, "-tl:off", "-nologo"]);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("Ingestion: started crm_ingest_inc"), result.Output);
        // The live line's messages ("Ingestion Execute: crm_ingest_inc › +load_contacts+load, 2s") are raised only for the terminal logger.
        Assert.That(result.Output, Does.Not.Contain("crm_ingest_inc › ").And.Not.Contain("Ingestion Execute: "), result.Output);
    }

    /// <summary>A contacts API on 127.0.0.1 at a free port that answers each request after a delay.</summary>
    sealed class SlowContactsApi(TimeSpan delay) : CdpSdk.Local.Tests.LoopbackHttpServer
    {
        protected override Task AnswerAsync(HttpListenerContext context)
        {
            // Answered in the background, so a second request is not held behind the first one's delay.
            _ = Task.Run(async () =>
            {
                await Task.Delay(delay);
                var bytes = Encoding.UTF8.GetBytes("""[{"id": 1, "email": "ann@example.org", "updated_at": "2024-01-01 00:00:00"}, {"id": 2, "email": "bob@example.org", "updated_at": "2024-01-02 00:00:00"}]""");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            });
            return Task.CompletedTask;
        }
    }
}

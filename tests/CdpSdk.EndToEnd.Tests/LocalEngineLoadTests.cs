namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// DuckDB's native library loads inside a real `dotnet build` of the packed SDK, from the task folder's
/// runtimes/ through its .deps.json, and the Presto layer answers Presto's regexp_replace trap as Presto does.
/// </summary>
public sealed class LocalEngineLoadTests
{
    [Test]
    public void DuckDbLoadsInsideTheBuildAndAnswersAsPresto()
    {
        var workspace = PackedSdk.NewWorkspace("engine");
        File.WriteAllText(Path.Combine(workspace, "engine.cdpproj"), """
            <Project Sdk="CdpSdk">
              <PropertyGroup>
                <CdpClient>engine</CdpClient>
              </PropertyGroup>
              <UsingTask TaskName="CdpSdk.Tasks.CdpLocalEngineCheck" AssemblyFile="$(CdpSdkTaskAssembly)" />
              <Target Name="CheckLocalEngine">
                <CdpLocalEngineCheck>
                  <Output TaskParameter="Answer" PropertyName="_Answer" />
                </CdpLocalEngineCheck>
                <Message Importance="high" Text="ANSWER=$(_Answer)" />
              </Target>
            </Project>
            """);

        var result = DotNet.Build(workspace, "engine.cdpproj", "-t:CheckLocalEngine");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Output, Does.Contain("ANSWER=5550185453"));
        Assert.That(result.Output, Does.Contain("Local engine: DuckDB v1.5"));
    }
}

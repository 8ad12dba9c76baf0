namespace CdpSdk.Local.Bench.Pipeline;

/// <summary>
/// The benchmark's .cdpproj and the workspace files that resolve the packed SDK the way the end-to-end tests
/// do (global.json msbuild-sdks, a NuGet.config naming a local feed and a packages folder of its own, so no
/// SDK from an older run is ever served from a cache). The project uses only the SDK's public items, so it
/// runs unchanged whatever engine the Local target has.
/// </summary>
internal static class PipelineProject
{
    public const string Client = "bench";
    public const string FileName = "bench.cdpproj";

    /// <summary>The key rules of the unification, shared with the hand-written DuckDB floor.</summary>
    public const string EmailRegexp = ".*@.*", PhoneRegexp = "^[0-9]{10,15}$", CookieRegexp = "^c[0-9]+$";
    public static readonly string[] InvalidEmails = ["test@example.com", "none@none.com"];
    public static readonly string[] InvalidPhones = ["0000000000"];

    public static void Write(string dir, string feed, string packages, string sdkVersion)
    {
        File.WriteAllText(Path.Combine(dir, "global.json"), $$"""{ "msbuild-sdks": { "CdpSdk": "{{sdkVersion}}" } }""");
        File.WriteAllText(Path.Combine(dir, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{packages}" /></config>
              <packageSources><clear /><add key="cdpsdk-bench" value="{feed}" /></packageSources>
            </configuration>
            """);
        // The benchmark tree lives in /tmp: this stops MSBuild's search for a Directory.Build.props above it.
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, FileName), $"""
            <!-- Pipeline benchmark (bench/CdpSdk.Local.Bench, mode pipeline): three sources, hist-union, staging, one unification. -->
            <Project Sdk="CdpSdk">
              <PropertyGroup>
                <CdpClient>{Client}</CdpClient>
                <CdpTarget>Local</CdpTarget>
                <!-- Anonymous web events with a never-tied cookie and guest orders still get ids; keyless rows are few. -->
                <CdpMinIdCoverage>80</CdpMinIdCoverage>
              </PropertyGroup>
              <ItemGroup>
                <CdpSource Include="shop" Connector="file" Mode="both" IncrementalField="updated_at" StartDate="2022-01-01T00:00:00.000000" />
                <CdpObject Include="{PipelineData.Customers};{PipelineData.Orders}" Source="shop" PrimaryKey="id"
                           Location="data/%(Identity).csv" HistoricalLocation="data/%(Identity)_history.csv" />
                <CdpSource Include="web" Connector="file" Mode="incremental" IncrementalField="event_time" />
                <CdpObject Include="{PipelineData.Events}" Source="web" PrimaryKey="event_id" Location="data/{PipelineData.Events}.csv" />
              </ItemGroup>
              <ItemGroup>
                <CdpStaging Include="shop_{PipelineData.Customers}" EmailColumns="email" PhoneColumns="phone" />
                <CdpStaging Include="shop_{PipelineData.Orders}" EmailColumns="customer_email" PhoneColumns="phone" />
                <CdpStaging Include="web_{PipelineData.Events}" EmailColumns="email" />
              </ItemGroup>
              <ItemGroup>
                <CdpUnification Include="people" IdMethod="persistent_id" UpdateStrategy="incremental" IdName="person_id" MergeIterations="10" />
                <CdpUnificationKey Include="email" ValidRegexp="{EmailRegexp}" InvalidTexts="{string.Join(',', InvalidEmails)}" />
                <CdpUnificationKey Include="phone" ValidRegexp="{PhoneRegexp}" InvalidTexts="{string.Join(',', InvalidPhones)}" />
                <CdpUnificationKey Include="td_client_id" ValidRegexp="{CookieRegexp}" />
                <CdpUnificationTable Include="shop_{PipelineData.Customers}" KeyColumns="cleaned_email:email,standardized_phone:phone" />
                <CdpUnificationTable Include="shop_{PipelineData.Orders}" KeyColumns="cleaned_customer_email:email,standardized_phone:phone" />
                <CdpUnificationTable Include="web_{PipelineData.Events}" KeyColumns="cleaned_email:email,td_client_id:td_client_id" />
              </ItemGroup>
            </Project>
            """);
    }
}

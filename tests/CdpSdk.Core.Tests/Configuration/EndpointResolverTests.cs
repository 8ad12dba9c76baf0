using CdpSdk.Core.Configuration;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Configuration;

public class EndpointResolverTests
{
    static (string Region, Endpoints Endpoints, ReadContext Context) Resolve(params (string Name, string Value)[] properties)
    {
        var builder = new ProjectBuilder(Path.Combine(Path.GetTempPath(), "p.cdpproj"));
        foreach (var (name, value) in properties) builder.Property(name, value);
        var ctx = new ReadContext(builder.Build());
        var (region, endpoints) = EndpointResolver.Resolve(ctx);
        return (region, endpoints, ctx);
    }

    [TestCase("us", "https://api.treasuredata.com", "https://api-workflow.treasuredata.com", "https://api-cdp.treasuredata.com")]
    [TestCase("eu01", "https://api.eu01.treasuredata.com", "https://api-workflow.eu01.treasuredata.com", "https://api-cdp.eu01.treasuredata.com")]
    [TestCase("tokyo", "https://api.treasuredata.co.jp", "https://api-workflow.treasuredata.co.jp", "https://api-cdp.treasuredata.co.jp")]
    [TestCase("ap02", "https://api.ap02.treasuredata.com", "https://api-workflow.ap02.treasuredata.com", "https://api-cdp.ap02.treasuredata.com")]
    public void RegionMapsToItsApiHosts(string region, string api, string workflow, string cdp)
    {
        var r = Resolve(("CdpRegion", region));
        Assert.That(r.Context.Diagnostics, Is.Empty);
        Assert.That((r.Region, r.Endpoints), Is.EqualTo((region, new Endpoints(api, workflow, cdp))));
    }

    [Test]
    public void NoRegionMeansUs()
    {
        var r = Resolve();
        Assert.That((r.Region, r.Endpoints.Api), Is.EqualTo(("us", "https://api.treasuredata.com")));
    }

    [Test]
    public void CdpEndpointServesEveryApi()
    {
        var r = Resolve(("CdpRegion", "tokyo"), ("CdpEndpoint", "http://127.0.0.1:8080/"));
        Assert.That(r.Endpoints, Is.EqualTo(new Endpoints("http://127.0.0.1:8080", "http://127.0.0.1:8080", "http://127.0.0.1:8080")));
    }

    [Test]
    public void PerApiEndpointsOverrideCdpEndpointAndRegion()
    {
        var r = Resolve(("CdpRegion", "eu01"), ("CdpEndpoint", "https://proxy.example.com"),
            ("CdpApiEndpoint", "https://v3.example.com"), ("CdpUnificationEndpoint", "https://cdp.example.com/"));
        Assert.That(r.Endpoints, Is.EqualTo(new Endpoints("https://v3.example.com", "https://proxy.example.com", "https://cdp.example.com")));
    }

    [Test]
    public void OnlyTheOverriddenApiLeavesTheRegion()
    {
        var r = Resolve(("CdpRegion", "ap02"), ("CdpWorkflowEndpoint", "http://localhost:65432"));
        Assert.That(r.Endpoints, Is.EqualTo(new Endpoints("https://api.ap02.treasuredata.com", "http://localhost:65432", "https://api-cdp.ap02.treasuredata.com")));
    }

    [TestCase("https://proxy.example.com?token=abc")]
    [TestCase("https://me:secret@proxy.example.com")]
    [TestCase("proxy.example.com")]
    public void EndpointsWithCredentialsQueriesOrNoSchemeAreRejected(string url)
    {
        var r = Resolve(("CdpEndpoint", url));
        Assert.That(r.Context.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { "CDP0014" }));
        Assert.That(r.Endpoints.Api, Is.EqualTo("https://api.treasuredata.com"));
    }

    [TestCase("https://me:secret@proxy.example.com")]
    [TestCase("https://proxy.example.com?token=secret")]
    public void RejectedEndpointThatCarriesASecretIsNotEchoed(string url)
    {
        var message = Resolve(("CdpEndpoint", url)).Context.Diagnostics.Single().Message;
        Assert.That(message, Does.Not.Contain("secret").And.Contain("value not shown"));
    }

    [Test]
    public void UnknownRegionIsReportedAndFallsBackToUs()
    {
        var r = Resolve(("CdpRegion", "mars"));
        Assert.That(r.Context.Diagnostics.Single().Code, Is.EqualTo("CDP0013"));
        Assert.That(r.Endpoints.Api, Is.EqualTo("https://api.treasuredata.com"));
    }
}

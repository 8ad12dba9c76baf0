using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Region names to TD API hosts, with CdpEndpoint and the per-API overrides on top.</summary>
public static class EndpointResolver
{
    /// <summary>region → (v3 API, workflow API, CDP API) hosts, from TD's documentation.</summary>
    public static readonly IReadOnlyDictionary<string, (string Api, string Workflow, string Cdp)> Regions =
        new Dictionary<string, (string, string, string)>(StringComparer.OrdinalIgnoreCase)
        {
            ["us"] = ("api.treasuredata.com", "api-workflow.treasuredata.com", "api-cdp.treasuredata.com"),
            ["tokyo"] = ("api.treasuredata.co.jp", "api-workflow.treasuredata.co.jp", "api-cdp.treasuredata.co.jp"),
            ["eu01"] = ("api.eu01.treasuredata.com", "api-workflow.eu01.treasuredata.com", "api-cdp.eu01.treasuredata.com"),
            ["ap02"] = ("api.ap02.treasuredata.com", "api-workflow.ap02.treasuredata.com", "api-cdp.ap02.treasuredata.com"),
        };

    internal static (string Region, Endpoints Endpoints) Resolve(ReadContext ctx)
    {
        var p = ctx.Project;
        var region = p.Property("CdpRegion");
        if (region.Length == 0) region = "us";
        if (!Regions.TryGetValue(region, out var hosts))
        {
            ctx.Error("CDP0013", $"CdpRegion '{region}' is not a TD region. Use one of: {string.Join(", ", Regions.Keys)}, or set CdpEndpoint to a URL.", p.PropertyLocation("CdpRegion"));
            hosts = Regions["us"];
        }
        region = region.ToLowerInvariant();

        var common = Url(ctx, "CdpEndpoint");
        var api = Url(ctx, "CdpApiEndpoint") ?? common ?? "https://" + hosts.Api;
        var workflow = Url(ctx, "CdpWorkflowEndpoint") ?? common ?? "https://" + hosts.Workflow;
        var cdp = Url(ctx, "CdpUnificationEndpoint") ?? common ?? "https://" + hosts.Cdp;
        return (region, new Endpoints(api, workflow, cdp));
    }

    static string? Url(ReadContext ctx, string property)
    {
        var text = ctx.Project.Property(property);
        if (text.Length == 0) return null;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.UserInfo) && string.IsNullOrEmpty(uri.Query))
            return text.TrimEnd('/');
        // Credentials and query strings may hold secrets: such a value is named, never echoed.
        var shown = uri is not null && (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Query)) ? "(value not shown: it carries credentials or a query)" : $"'{text}'";
        ctx.Error("CDP0014", $"{property} {shown} is not an http(s) URL without credentials or query, e.g. https://api.treasuredata.com or http://127.0.0.1:8080.", ctx.Project.PropertyLocation(property));
        return null;
    }
}

using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Unification;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>
/// http_call>: the Local target serves exactly one endpoint, TD's unification workflow_call, with the
/// in-process engine; any other URL fails rather than reaching the network from a build.
/// </summary>
internal sealed class HttpCallOperator : IOperator
{
    public const string WorkflowCallPath = "/unifications/workflow_call";

    public string Name => "http_call";

    public void Run(OperatorCall call)
    {
        var url = call.CommandText.Trim();
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        if (!path.TrimEnd('/').EndsWith(WorkflowCallPath, StringComparison.Ordinal))
            throw new CdpException(LocalErrors.UnsupportedHttpCall,
                $"{call.Where}: http_call> to '{url}' cannot run on the Local target, which only serves TD's ...{WorkflowCallPath} (ID unification).");
        var content = call.Params.GetValueOrDefault("content") as OrderedDictionary<string, object?>
            ?? throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: the workflow_call needs content: with unification: in it.");
        var unification = content.GetValueOrDefault("unification") as OrderedDictionary<string, object?>
            ?? throw new CdpException(LocalErrors.BadUnifyConfig, $"{call.Where}: content has no unification: mapping (normally '!include : config/unify.yml').");

        var config = UnifyConfig.Parse(unification);
        var fullRefresh = Template.Render(content.GetValueOrDefault("full_refresh")) == "true";
        var (_, time) = call.Runner.Lookup(call.Scope, "session_unixtime", call.TaskName);
        var result = call.Run.Unification.Run(config, fullRefresh, Convert.ToInt64(time, System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (idName, ids, keys) in result.Ids)
            call.Info($"{idName}: {ids} ids from {keys} key values");
        call.Info($"unification {config.Name} wrote {result.Database}: {string.Join(", ", result.Tables)}");
    }
}

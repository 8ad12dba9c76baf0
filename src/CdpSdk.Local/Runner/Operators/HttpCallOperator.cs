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
        var result = call.Run.Unification.Run(config, fullRefresh, Convert.ToInt64(time, System.Globalization.CultureInfo.InvariantCulture), call.MarkFinished);
        foreach (var id in result.Ids)
        {
            call.Info($"{id.IdName}: {id.Ids} ids from {id.Keys} key values; TD needs {id.IterationsNeeded} of its merge loops"
                + (id.RefusedJoins > 0 ? $"; {id.RefusedJoins} joins refused by do_not_merge_key" : ""));
            // Local always converges; TD stops after merge_iterations and would leave clusters half merged.
            if (id.IterationsNeeded > id.LoopLimit)
                call.Run.Log.Report(Diagnostic.Warning(LocalErrors.MergeIterationsTooLow,
                    $"Unification {config.Name}: the key graph of {id.IdName} needs {id.IterationsNeeded} of TD's merge loops, but {id.LoopSetting} is {id.LoopLimit}; "
                    + $"on TD the result would not converge. Raise {id.LoopSetting} of {id.IdName} to at least {id.IterationsNeeded} "
                    + "(in the UnifyYml file when the CdpUnification names one, otherwise CdpUnification MergeIterations)."));
        }
        call.Info($"unification {config.Name} wrote {result.Database}: {string.Join(", ", result.Tables)}");
    }
}

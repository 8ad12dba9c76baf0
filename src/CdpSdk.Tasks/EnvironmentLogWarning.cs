using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.TreasureData;

namespace CdpSdk.Tasks;

/// <summary>
/// MSBUILDLOGALLENVIRONMENTVARIABLES makes MSBuild itself write every environment variable into binary
/// logs before any task runs, so a key in TD_API_KEY ends up there whatever CdpSdk does. Say so, once
/// per build process (the phase builds of one pipeline share it), and point at ~/.td/td.conf.
/// </summary>
internal static class EnvironmentLogWarning
{
    static int _warned;

    public static void Check(PipelineSpec spec, ICdpLog log)
    {
        if (spec.Settings.Target != TargetKind.TreasureData) return;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MSBUILDLOGALLENVIRONMENTVARIABLES"))) return;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ApiKeySource.EnvironmentVariable))) return;
        if (Interlocked.Exchange(ref _warned, 1) == 1) return;
        log.Report(Diagnostic.Warning("CDP0203", "MSBUILDLOGALLENVIRONMENTVARIABLES is set, so MSBuild writes every environment variable, TD_API_KEY included, into binary logs (-bl). Unset it, or keep the key in ~/.td/td.conf instead of TD_API_KEY, before sharing a binlog."));
    }
}

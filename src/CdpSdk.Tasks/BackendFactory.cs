using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Local;
using CdpSdk.TreasureData;

namespace CdpSdk.Tasks;

/// <summary>Chooses the backend of the project's CdpTarget.</summary>
internal static class BackendFactory
{
    public static IWorkflowBackend Create(PipelineSpec spec, ICdpLog log) => spec.Settings.Target switch
    {
        TargetKind.Local => new LocalBackend(spec.Settings.WarehouseDir, spec.Settings.ProjectDirectory, log, spec.Settings.Client, spec.Settings.WarehouseStorage),
        // The key is read here, inside the task, never passed through MSBuild (properties end up in binlogs).
        _ => new TreasureDataBackend(spec.Settings, ApiKeySource.FromProcess()
            ?? throw new CdpException("CDP0020", "CdpTarget is TreasureData but no API key was found, and Deploy and the steps after it need one: set the TD_API_KEY environment variable or run 'td account' to write ~/.td/td.conf. (Generate needs no key.)"), log),
    };
}

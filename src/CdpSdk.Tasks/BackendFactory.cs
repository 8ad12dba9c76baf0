using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Local;

namespace CdpSdk.Tasks;

/// <summary>Chooses the backend of the project's CdpTarget.</summary>
internal static class BackendFactory
{
    public static IWorkflowBackend Create(PipelineSpec spec, ICdpLog log) => spec.Settings.Target switch
    {
        TargetKind.Local => new LocalBackend(spec.Settings.WarehouseDir, spec.Settings.ProjectDirectory, log),
        _ => throw new CdpException("CDP2001", "CdpTarget TreasureData cannot deploy yet in this version of CdpSdk: its REST clients are still being built. Use CdpTarget Local, or run CdpGenerate and push the generated projects with 'td wf push'."),
    };
}

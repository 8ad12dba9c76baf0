using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.State;
using CdpSdk.Core.Testing;
using CdpSdk.Local.Testing;
using Microsoft.Build.Framework;

namespace CdpSdk.Tasks;

/// <summary>
/// Runs the CdpTest unit tests of one phase (before its Deploy) or of every phase (the CdpTest target) in
/// scratch databases on the Local engine, whatever the target, and touches the stamp when all passed.
/// A thin adapter over CdpSdk.Core's UnitTestSuite.
/// </summary>
public sealed class CdpRunUnitTests : Microsoft.Build.Utilities.Task, ICancelableTask
{
    readonly CancellationTokenSource _cancel = new();

    [Required] public string ProjectFile { get; set; } = "";
    [Required] public string IntermediateDir { get; set; } = "";
    [Required] public string SpecFile { get; set; } = "";

    /// <summary>Empty: the tests of every phase.</summary>
    public string Phase { get; set; } = "";

    /// <summary>Written when every test passed, so an unchanged phase skips its tests next time.</summary>
    public string StampFile { get; set; } = "";

    public void Cancel() => _cancel.Cancel();

    public override bool Execute()
    {
        var log = new MSBuildLog(Log, ProjectFile);
        try
        {
            Core.Model.Phase? phase = null;
            if (Phase.Length > 0)
            {
                if (!PhaseOrder.TryParse(Phase, out var p)) throw new CdpException("CDP9003", $"Unknown phase '{Phase}'.");
                phase = p;
            }
            var spec = Core.Model.SpecFile.Read(SpecFile);
            var tests = spec.Tests.Count(t => phase is null || t.Phase == phase);
            if (tests == 0 && phase is null) log.Info("No unit tests: declare them as CdpTest items.", important: true);
            var state = new StateStore(Path.Combine(IntermediateDir, "pipeline_state.json"));
            if (tests > 0 && UnitTestSuite.Run(spec, phase, new ScratchEngine(), log, state, _cancel.Token) && StampFile.Length > 0)
                Core.Model.SpecFile.WriteIfChanged(StampFile, $"{Phase} tests {DateTimeOffset.UtcNow:O}\n");
            else if (tests == 0 && StampFile.Length > 0)
                Core.Model.SpecFile.WriteIfChanged(StampFile, $"{Phase} no tests\n");
        }
        catch (CdpException e)
        {
            log.Report(e.Diagnostic);
        }
        catch (OperationCanceledException)
        {
            Log.LogWarning(null, "CDP9004", null, Diagnostic.HelpBase + "cdp9004", ProjectFile, 0, 0, 0, 0, "{0}", "The unit tests were cancelled.");
            return false;
        }
        catch (Exception e) when (e is not CdpException)
        {
            log.Report(Diagnostic.Error("CDP9005", $"The unit tests failed unexpectedly: {e.GetType().Name}: {e.Message} Please report it with the binlog (-bl)."));
            Log.LogMessage(MessageImportance.Low, "{0}", e.ToString());
        }
        return !Log.HasLoggedErrors;
    }
}

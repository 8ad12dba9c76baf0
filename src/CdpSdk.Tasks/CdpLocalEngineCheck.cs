using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Presto;

namespace CdpSdk.Tasks;

/// <summary>
/// Loads the Local engine's DuckDB inside MSBuild and asks the Presto layer one question (Presto's
/// regexp_replace trap): the proof that the package's runtimes/ and .deps.json bring DuckDB's native
/// library into a real build; the Local warehouse itself is DuckDB, so every Local build proves it too.
/// </summary>
public sealed class CdpLocalEngineCheck : Microsoft.Build.Utilities.Task
{
    [Microsoft.Build.Framework.Output] public string Version { get; private set; } = "";
    [Microsoft.Build.Framework.Output] public string Answer { get; private set; } = "";

    public override bool Execute()
    {
        try
        {
            (Version, Answer) = DuckDbSelfCheck.Run();
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, $"Local engine: DuckDB {Version}; regexp_replace('555.018.5453', '[^0-9]', '') = '{Answer}'");
            return true;
        }
        catch (CdpException e)
        {
            Log.LogError(null, e.Diagnostic.Code, null, null, 0, 0, 0, 0, e.Message);
            return false;
        }
    }
}

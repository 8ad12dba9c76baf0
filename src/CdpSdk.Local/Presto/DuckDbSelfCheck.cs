using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Presto;

/// <summary>
/// Proves, inside whatever process hosts the Local engine (MSBuild's, for a real build), that DuckDB's
/// native library loads and the Presto layer answers as Presto does. A missing or unloadable native
/// library is CDP3043, not a crash.
/// </summary>
public static class DuckDbSelfCheck
{
    /// <summary>DuckDB's version and the answer to Presto's regexp_replace trap ('5550185453').</summary>
    public static (string Version, string Answer) Run()
    {
        try
        {
            using var engine = PrestoEngine.Open();
            var row = engine.Query("SELECT version(), regexp_replace('555.018.5453', '[^0-9]', '')", "self-check")[0];
            return ((string)row[0]!, (string)row[1]!);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new CdpException(PrestoErrors.EngineUnavailable,
                $"DuckDB's native library did not load ({e.GetType().Name}: {e.Message}); the SDK package ships it under tasks/net10.0/runtimes/<rid>/native for linux-x64, osx and win-x64. Reinstall the package, or use a supported platform.", inner: e);
        }
    }
}

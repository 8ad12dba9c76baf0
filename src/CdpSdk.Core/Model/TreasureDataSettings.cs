namespace CdpSdk.Core.Model;

/// <summary>
/// How the TreasureData target talks to TD. Runtime settings: they change how a build runs, not what it
/// generates, so they stay out of the phase configuration hash. None of them is a secret.
/// </summary>
public sealed record TreasureDataSettings
{
    /// <summary>Create databases the deployed project reads but that do not exist yet, instead of failing (CDP2010).</summary>
    public bool CreateMissingDatabases { get; init; }

    /// <summary>Kill the running attempt when the build is cancelled (Ctrl+C) during Execute or Monitor.</summary>
    public bool KillOnCancel { get; init; }

    /// <summary>Full path of a JSON file of project secrets ({"key": "value"}); empty for environment variables only.</summary>
    public string SecretsFile { get; init; } = "";

    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int HttpMaxRetries { get; init; } = 6;

    /// <summary>First retry delay; later ones double, with jitter, unless TD sends Retry-After.</summary>
    public TimeSpan HttpRetryDelay { get; init; } = TimeSpan.FromSeconds(1);
}

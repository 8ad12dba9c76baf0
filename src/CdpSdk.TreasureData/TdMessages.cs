namespace CdpSdk.TreasureData;

/// <summary>
/// The words of the TD target's own failures, in one table. Diagnoses never depend on them (each failure
/// carries its cause), and a test swaps the table for different words to show it.
/// </summary>
public sealed record TdMessages(
    Func<string, string, string, string, string> NoAnswer,
    Func<string, string, string, int, string, string, string> KeyRefused,
    Func<string, string, int, string, string> KeptFailing,
    Func<string, string, int, string, string> Rejected,
    Func<string, IReadOnlyList<string>, string> MissingDatabases,
    Func<string, IReadOnlyList<string>, IReadOnlyList<string>, string> MissingSecrets)
{
    public static readonly TdMessages English = new(
        NoAnswer: (api, url, call, error) => $"TD {api} API at {url} did not answer {call}: {error}. Check the network, CdpRegion/CdpEndpoint, or raise CdpHttpTimeout/CdpHttpMaxRetries.",
        KeyRefused: (api, masked, origin, status, call, message) => $"TD {api} API refused the API key {masked} from {origin} (HTTP {status}) for {call}: {message}. Check the key belongs to this region's account and may use workflows and queries.",
        KeptFailing: (api, call, status, message) => $"TD {api} API kept failing for {call} (HTTP {status}: {message}). TD may be unavailable; build again later: finished steps are skipped and running sessions are reattached.",
        Rejected: (api, call, status, message) => $"TD {api} API rejected {call} (HTTP {status}): {message}.",
        MissingDatabases: (project, missing) => $"{project} uses databases that do not exist on TD: {string.Join(", ", missing)}. Run the upstream phase first, create them ('td db:create'), or set CdpCreateMissingDatabases=true.",
        MissingSecrets: (project, missing, variables) => $"{project} uses secrets that have no value: {string.Join(", ", missing)}. Set {string.Join(", ", variables)} in the environment, or add them to the JSON file named by CdpSecretsFile.");

    static readonly AsyncLocal<TdMessages?> Replaced = new();

    /// <summary>The table in use: English unless a test replaced it for its own flow (<see cref="Use"/>).</summary>
    public static TdMessages Current => Replaced.Value ?? English;

    /// <summary>Replaces the table for the calling flow until the result is disposed (tests only).</summary>
    public static IDisposable Use(TdMessages messages)
    {
        var previous = Replaced.Value;
        Replaced.Value = messages;
        return new Restore(() => Replaced.Value = previous);
    }

    sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}

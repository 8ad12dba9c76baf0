namespace CdpSdk.Local;

/// <summary>
/// The words of the Local target's own failures on the paths self-healing diagnoses (a query the engine
/// refuses, an HTTP source's answer or missing header, a workflow file that is not YAML, a warehouse another
/// process holds), in one table. Diagnoses never depend on them: each failure carries its cause, decided from
/// the engine's own error before these words wrap it (LocalTaskErrors), and a test swaps the table for other
/// words to show it.
/// </summary>
/// <param name="SqlFailed">(task, database, the engine's message).</param>
/// <param name="HttpFailed">(task, URL without credentials, HTTP status, the status's reason, the source's AuthHeaderEnv or null).</param>
/// <param name="AuthHeaderUnset">(task, the AuthHeaderEnv variable).</param>
/// <param name="WorkflowNotYaml">(workflow file, line, column, the YAML reader's problem).</param>
/// <param name="WarehouseBusy">(warehouse file, the process holding its lock).</param>
public sealed record LocalMessages(
    Func<string, string, string, string> SqlFailed,
    Func<string, string, int, string, string?, string> HttpFailed,
    Func<string, string, string> AuthHeaderUnset,
    Func<string, int, int, string, string> WorkflowNotYaml,
    Func<string, string, string> WarehouseBusy)
{
    public static readonly LocalMessages English = new(
        SqlFailed: (where, database, message) => $"SQL of {where} failed on database '{database}': {message}",
        HttpFailed: (where, url, status, reason, authHeaderEnv) => $"{where}: GET {url} answered {status} {reason}" +
            (status is 401 or 403 ? $"; check the header value in ${authHeaderEnv ?? "(no AuthHeaderEnv)"}." : "."),
        AuthHeaderUnset: (where, variable) => $"{where}: the environment variable {variable} (AuthHeaderEnv) is not set; set it to the Authorization header value before building.",
        WorkflowNotYaml: (path, line, column, problem) => $"'{path}' is not valid YAML ({line},{column}): {problem}",
        WarehouseBusy: (file, holder) => $"The Local warehouse file '{file}' is locked by {holder}: another build of this project, or a DuckDB client with the file open. Wait for that build to finish or close the client (DuckDB lets one process write a file at a time), then build again.");

    static readonly AsyncLocal<LocalMessages?> Replaced = new();

    /// <summary>The table in use: English unless a test replaced it for its own flow (<see cref="Use"/>).</summary>
    public static LocalMessages Current => Replaced.Value ?? English;

    /// <summary>Replaces the table for the calling flow until the result is disposed (tests only).</summary>
    public static IDisposable Use(LocalMessages messages)
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

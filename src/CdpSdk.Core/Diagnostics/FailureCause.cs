namespace CdpSdk.Core.Diagnostics;

/// <summary>What kind of failure happened, as the adapter that saw it decided: the diagnosis catalogue matches on this, never on message text.</summary>
public enum FailureKind
{
    Unknown,
    /// <summary>A retryable service answer (408, 429, 5xx), a refused or reset connection, a warehouse busy for a moment.</summary>
    Transient,
    /// <summary>Credentials refused (HTTP 401/403): TD's API key, or an HTTP source's header (<see cref="FailureCause.EnvironmentVariable"/>).</summary>
    Authentication,
    /// <summary>A secret or credential variable without a value; <see cref="FailureCause.Subject"/> is its key.</summary>
    MissingSecret,
    MissingColumn,
    MissingTable,
    MissingDatabase,
    /// <summary>A workflow file that does not parse or breaks a Digdag rule; <see cref="FailureCause.File"/> names it when known.</summary>
    WorkflowSyntax,
    /// <summary>Monitor gave up waiting (CdpMonitorTimeout).</summary>
    Timeout,
    /// <summary>The workflow attempt was killed.</summary>
    Killed,
    /// <summary>A phase's output failed its checks.</summary>
    Validation,
    /// <summary>A generated file differs from what Generate wrote.</summary>
    HandEdited,
}

/// <summary>
/// A failure as a record, raised where it happened: its kind, what it names (table, column, database,
/// secret key), where (file, line), and the engine's or service's own message as detail. Adapters (the Local
/// engine, the TD clients, the reading of TD task errors) build it in one place each.
/// </summary>
/// <param name="Subject">The table, column, database or secret key the failure names.</param>
/// <param name="EnvironmentVariable">The environment variable a credential comes from (an HTTP source's AuthHeaderEnv), when not TD's API key.</param>
/// <param name="Detail">The engine's or service's own words, for the log; never matched on.</param>
public sealed record FailureCause(FailureKind Kind, string? Subject = null, string? File = null, int? Line = null, string? EnvironmentVariable = null, string Detail = "")
{
    public static readonly FailureCause Unknown = new(FailureKind.Unknown);

    /// <summary>A query the engine could not parse: where it stopped, so the error can point at the user's SQL file (no diagnosis: only the user can fix it).</summary>
    public SqlSyntaxError? Syntax { get; init; }
}

/// <summary>
/// Where an engine stopped parsing a query, as its adapter read it from the engine's own error: the line and
/// column in the query it was given, and the token it stopped at (each when the engine names it).
/// </summary>
public sealed record SqlSyntaxError(int? Line = null, int? Column = null, string? Token = null);

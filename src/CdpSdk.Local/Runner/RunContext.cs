using CdpSdk.Core.Backend;
using CdpSdk.Local.State;
using CdpSdk.Local.Unification;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Runner;

/// <summary>Records task progress while a workflow runs (the system database, or a test's list).</summary>
internal interface ITaskRecorder
{
    /// <summary>Tasks an interrupted attempt finished, which this one resumes after, with what each stored.</summary>
    IReadOnlyDictionary<string, string?> Carried { get; }

    void Started(string fullName);

    void Finished(string fullName, string state, string? error, string log, string? store, Core.Diagnostics.FailureCause? cause = null);

    /// <summary>Marks the task finished inside the transaction that commits its effect.</summary>
    void MarkFinished(DuckDB.NET.Data.DuckDBConnection connection, string fullName, string store);
}

/// <summary>Everything one attempt's tasks share: project files, warehouse, session variables and stored parameters.</summary>
internal sealed class RunContext
{
    public required ProjectFiles Files { get; init; }
    public required string DataRoot { get; init; }
    public required DuckDbWarehouse Warehouse { get; init; }
    public required Watermarks Watermarks { get; init; }
    public required UnificationEngine Unification { get; init; }
    public required ITaskRecorder Recorder { get; init; }
    public required ICdpLog Log { get; init; }
    public required OrderedDictionary<string, object?> Builtins { get; init; }
    public CancellationToken Cancellation { get; init; }

    /// <summary>Parameters operators store for the tasks after them (td.last_job.num_records …); they win over exports.</summary>
    public OrderedDictionary<string, object?> Store { get; } = new(StringComparer.Ordinal);

    public int JobCounter { get; set; }

    public static OrderedDictionary<string, object?> SessionVariables(DateTimeOffset sessionTime, string sessionId, string attemptId, string projectId, string projectName)
    {
        var utc = sessionTime.ToUniversalTime();
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["session_time"] = Sessions.SessionTimeText(utc),
            ["session_date"] = utc.ToString("yyyy-MM-dd", inv),
            ["session_date_compact"] = utc.ToString("yyyyMMdd", inv),
            ["session_local_time"] = utc.ToString("yyyy-MM-dd HH:mm:ss", inv),
            ["session_tz_offset"] = "+0000",
            ["session_unixtime"] = utc.ToUnixTimeSeconds(),
            ["session_id"] = sessionId,
            ["attempt_id"] = attemptId,
            ["project_id"] = projectId,
            ["project_name"] = projectName,
            ["timezone"] = "UTC",
        };
    }
}

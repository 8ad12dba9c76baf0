namespace CdpSdk.TreasureData.Fake;

public sealed class FakeRevision
{
    public required string Name { get; init; }
    public required IReadOnlyDictionary<string, byte[]> Files { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required string ArchiveMd5 { get; init; }
    /// <summary>Workflow name → id (top-level *.dig files).</summary>
    public Dictionary<string, string> Workflows { get; } = new(StringComparer.Ordinal);

    public string Text(string path) => Files.TryGetValue(path, out var b) ? System.Text.Encoding.UTF8.GetString(b) : "";
}

public sealed class FakeProject
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public List<FakeRevision> Revisions { get; } = [];
    public Dictionary<string, string> Secrets { get; } = new(StringComparer.Ordinal);
    public FakeRevision Latest => Revisions[^1];
}

public sealed class FakeTask
{
    public required string Id { get; init; }
    public required string FullName { get; init; }
    public string? ParentId { get; init; }
    public bool IsGroup { get; set; }
    public string State { get; set; } = "blocked";
    public string? Error { get; set; }
    public string Log { get; set; } = "";
}

public sealed class FakeAttempt
{
    public required string Id { get; init; }
    public required int Index { get; init; }
    public required FakeSession Session { get; init; }
    /// <summary>The revision of the workflow the attempt was started with: a retry after a new push runs the new definition, as in Digdag.</summary>
    public required FakeRevision Revision { get; init; }
    public string? RetryAttemptName { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public bool Done { get; set; }
    public bool Success { get; set; }
    public bool CancelRequested { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Polls { get; set; }
    public List<FakeTask> Tasks { get; } = [];
}

public sealed class FakeSession
{
    public required string Id { get; init; }
    public required FakeProject Project { get; init; }
    public required FakeRevision Revision { get; init; }
    public required string Workflow { get; init; }
    public required string WorkflowId { get; init; }
    public required string SessionTime { get; init; }
    public required DateTimeOffset Instant { get; init; }
    public List<FakeAttempt> Attempts { get; } = [];
}

public sealed class FakeTable
{
    public long Rows { get; set; }
    public List<string> Columns { get; init; } = ["id", "time"];
    /// <summary>
    /// The columns are the table's real schema (a test declared them), so a query naming another column of
    /// it fails as Presto does. Tables the simulator makes are not strict: it cannot know what a connector loaded.
    /// </summary>
    public bool StrictColumns { get; init; }
}

public sealed class FakeJob
{
    public required string Id { get; init; }
    public required string Database { get; init; }
    public required string Query { get; init; }
    public string? DomainKey { get; init; }
    public string Status { get; set; } = "queued";
    public int Polls { get; set; }
    public string? Error { get; set; }
    public List<object?[]> Result { get; set; } = [];
    public List<string> Columns { get; set; } = [];
}

/// <summary>How a workflow's next attempt ends, scripted by a test.</summary>
public sealed record WorkflowOutcome(bool Kill = false, string? FailTask = null, string FailMessage = "Query failed", string FailLog = "")
{
    public static readonly WorkflowOutcome Succeed = new();
}

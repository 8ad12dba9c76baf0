using System.Text.Json.Serialization;

namespace CdpSdk.TreasureData.Clients;

// The workflow API's JSON (camelCase, ids as strings), as far as CdpSdk reads it.

public sealed record IdName(string Id, string Name);

public sealed record WfProject(string Id, string Name, string Revision, string? ArchiveMd5 = null);

public sealed record WfProjectList(IReadOnlyList<WfProject> Projects);

public sealed record WfWorkflow(string Id, string Name, string? Revision, IdName? Project = null);

public sealed record WfWorkflowList(IReadOnlyList<WfWorkflow> Workflows);

public sealed record WfAttempt(
    string Id,
    string SessionId,
    string SessionTime,
    string? RetryAttemptName,
    bool Done,
    bool Success,
    bool CancelRequested,
    IdName? Workflow = null)
{
    [JsonIgnore] public bool Killed => Done && CancelRequested && !Success;
    [JsonIgnore] public bool Failed => Done && !Success;
}

public sealed record WfError(string? Message);

public sealed record WfTask(string Id, string FullName, string State, bool IsGroup, WfError? Error = null, string? ParentId = null);

public sealed record WfTaskList(IReadOnlyList<WfTask> Tasks);

public sealed record WfLastAttempt(string Id, bool Done, bool Success, bool CancelRequested, string? RetryAttemptName);

public sealed record WfSession(string Id, string SessionTime, WfLastAttempt? LastAttempt);

public sealed record WfDirect(string Url);

public sealed record WfLogFile(string FileName, long FileSize, string TaskName, WfDirect? Direct = null);

public sealed record WfLogFileList(IReadOnlyList<WfLogFile> Files);

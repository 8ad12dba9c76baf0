using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Backend;

/// <summary>Where the core reports progress; the MSBuild tasks forward it to the build log.</summary>
public interface ICdpLog
{
    /// <summary>A progress line. <paramref name="important"/> lines show at normal verbosity.</summary>
    void Info(string message, bool important = false);

    void Report(Diagnostic diagnostic);

    /// <summary>
    /// What a long step is doing now (the workflow and task in progress), for a live display such as the
    /// terminal logger's; not a log line. Called often (every task start, every poll): ignored unless shown live.
    /// </summary>
    void Progress(WorkProgress now) { }

    /// <summary>Whether <see cref="Progress"/> is shown: a target may then ask for what it would not fetch otherwise (TD: a running attempt's tasks).</summary>
    bool ShowsProgress => false;
}

/// <summary>Collects everything; for tests and for callers that log later.</summary>
public sealed class MemoryLog : ICdpLog
{
    public List<string> Lines { get; } = [];
    public List<Diagnostic> Diagnostics { get; } = [];
    public List<WorkProgress> Progressed { get; } = [];

    public void Info(string message, bool important = false) { lock (Lines) Lines.Add(message); }

    public void Report(Diagnostic diagnostic) { lock (Diagnostics) Diagnostics.Add(diagnostic); }

    public void Progress(WorkProgress now) { lock (Progressed) Progressed.Add(now); }

    public bool ShowsProgress => true;
}

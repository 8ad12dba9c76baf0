using System.Text;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>A Digdag operator the Local runner executes (td>, td_load>, …).</summary>
internal interface IOperator
{
    string Name { get; }

    void Run(OperatorCall call);
}

/// <summary>One operator task: its expanded command and parameters, where it came from, and its log.</summary>
internal sealed class OperatorCall
{
    public required string TaskName { get; init; }
    public required string File { get; init; }
    public required object? Command { get; init; }

    /// <summary>The task as written, unexpanded: control operators run its _do tasks later, in their own scope.</summary>
    public required OrderedDictionary<string, object?> Definition { get; init; }
    public required OrderedDictionary<string, object?> Params { get; init; }
    public required Scope Scope { get; init; }
    public required RunContext Run { get; init; }
    public required WorkflowRunner Runner { get; init; }
    public required StringBuilder Log { get; init; }

    public string Where => $"task {TaskName} of {File}";

    public string CommandText => Template.Render(Command);

    /// <summary>The session time in unix seconds, what TD_SCHEDULED_TIME() returns on TD.</summary>
    public long? SessionUnixTime => Runner.Lookup(Scope, "session_unixtime", TaskName) is (true, { } t) ? Convert.ToInt64(t, System.Globalization.CultureInfo.InvariantCulture) : null;

    public string? Param(string name) => Params.TryGetValue(name, out var v) && v is not null ? Template.Render(v) : null;

    /// <summary>A parameter of the task, or the operator-wide default exported as e.g. td.database.</summary>
    public string? ParamOrExported(string name, string exported)
    {
        if (Param(name) is { Length: > 0 } p) return p;
        var (found, value) = Runner.Lookup(Scope, exported, TaskName);
        return found && value is not null ? Template.Expand(Template.Render(value), e => Runner.Lookup(Scope, e, TaskName), Where) : null;
    }

    public string Required(string name, string? value) =>
        value is { Length: > 0 } ? value : throw new CdpException(LocalErrors.BadTaskParameter, $"{Where} needs the parameter '{name}'.");

    /// <summary>Makes a parameter visible to the tasks that follow, as Digdag's store does.</summary>
    public void Store(string path, object? value) => Scope.SetPath(Run.Store, path, value);

    /// <summary>
    /// Marks this task finished in the transaction that commits its effect: call it after the last
    /// <see cref="Store"/> and just before <c>tx.Commit()</c> on a warehouse connection.
    /// </summary>
    public void MarkFinished(DuckDB.NET.Data.DuckDBConnection connection) =>
        Run.Recorder.MarkFinished(connection, TaskName, StoreJson.Write(Run.Store));

    public void Info(string line) => Log.Append(line).Append('\n');
}

using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Runner.Operators;

namespace CdpSdk.Local.Runner;

/// <summary>
/// Executes a Digdag workflow of a deployed project: +tasks in order (sequentially, also under _parallel),
/// _export scopes, _retry, _error, and the supported operators.
/// The first failing task stops the workflow, as in Digdag; its error is returned, never thrown.
/// </summary>
internal sealed class WorkflowRunner
{
    readonly RunContext _run;
    readonly Dictionary<string, IOperator> _operators;
    string _workflow = "";

    public WorkflowRunner(RunContext run, IEnumerable<IOperator> operators)
    {
        _run = run;
        _operators = operators.ToDictionary(o => o.Name + ">", StringComparer.Ordinal);
    }

    /// <summary>Runs <c>{workflow}.dig</c>; null when every task succeeded, otherwise the failed task's error.</summary>
    public string? Run(string workflow)
    {
        var file = workflow + ".dig";
        _workflow = workflow;
        try
        {
            OrderedDictionary<string, object?> definition;
            try { definition = DigdagYaml.Load(_run.Files, file); }
            catch (CdpException e)
            {
                var message = $"{e.Diagnostic.Code}: {e.Message}";
                _run.Recorder.Started("+" + workflow);
                _run.Recorder.Finished("+" + workflow, "error", message, "", null, LocalTaskErrors.CauseOf(e));
                return message;
            }
            RunTask("+" + workflow, definition, Scope.Root(new(StringComparer.Ordinal)), file);
            return null;
        }
        catch (TaskFailedException failed)
        {
            return $"{failed.TaskName} failed: {failed.Message}";
        }
    }

    /// <summary>
    /// Runs a group or operator task and its children under <paramref name="name"/>: skipped when an
    /// interrupted attempt this one resumes already finished it; retried per _retry; _error tasks run
    /// once it has failed for good.
    /// </summary>
    internal void RunTask(string name, OrderedDictionary<string, object?> definition, Scope parent, string file)
    {
        _run.Cancellation.ThrowIfCancellationRequested();
        if (_run.Recorder.Carried.TryGetValue(name, out var stored))
        {
            // What the task stored is what the tasks after it expect, as if it had just run.
            if (stored is not null) StoreJson.Restore(_run.Store, stored);
            _run.Log.Info($"{name}: finished in the interrupted attempt; skipped");
            return;
        }
        var scope = parent.With(definition.TryGetValue("_export", out var e) ? e as OrderedDictionary<string, object?> : null);
        var retry = RetryPolicy.None;
        try { retry = RetryPolicy.Parse(definition.GetValueOrDefault("_retry"), $"task {name} of {file}"); }
        catch (CdpException bad) { Fail(name, bad, "", file); }
        for (var retries = 0; ; retries++)
        {
            try
            {
                RunOnce(name, definition, scope, file);
                return;
            }
            catch (TaskFailedException) when (retries < retry.Limit)
            {
                var wait = retry.Wait(retries + 1);
                _run.Log.Info($"{name}: retry {retries + 1} of {retry.Limit} in {wait.TotalSeconds:0.#}s", important: true);
                if (_run.Cancellation.WaitHandle.WaitOne(wait)) _run.Cancellation.ThrowIfCancellationRequested();
            }
            catch (TaskFailedException) when (definition.GetValueOrDefault("_error") is OrderedDictionary<string, object?> onError)
            {
                RunErrorTasks(name, onError, scope, file);
                throw;
            }
        }
    }

    void RunOnce(string name, OrderedDictionary<string, object?> definition, Scope scope, string file)
    {
        _run.Recorder.Started(name);
        _run.Log.Progress(new WorkProgress(_workflow, name));
        var log = new System.Text.StringBuilder();
        try
        {
            var operatorKey = definition.Keys.FirstOrDefault(k => k.EndsWith('>'));
            if (operatorKey is not null) RunOperator(name, operatorKey, definition, scope, file, log);
            else
                // _parallel: true lets TD run the children at once; the Local runner runs them in order,
                // which is a schedule TD could also have chosen, so results are the same.
                foreach (var (key, value) in definition.Where(kv => kv.Key.StartsWith('+')))
                {
                    if (value is not OrderedDictionary<string, object?> child)
                        throw new CdpException(LocalErrors.BadWorkflowFile, $"Task {name}{key} in {file} must be a mapping of parameters or subtasks.");
                    RunTask(name + key, child, scope, file);
                }
        }
        catch (TaskFailedException)
        {
            _run.Recorder.Finished(name, "group_error", null, "", null);
            throw;
        }
        catch (OperationCanceledException)
        {
            _run.Recorder.Finished(name, "canceled", null, log.ToString(), null);
            throw;
        }
        catch (Exception ex)
        {
            Fail(name, ex, log.ToString(), file);
        }
        _run.Recorder.Finished(name, "success", null, log.ToString(), StoreJson.Write(_run.Store));
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    void Fail(string name, Exception ex, string log, string file)
    {
        // A full disk or an unwritable warehouse can strike any task's commit: name the warehouse, not "unexpected".
        if (ex is DuckDB.NET.Data.DuckDBException duckDb && Warehouse.WarehouseFailures.Translate(duckDb, _run.Warehouse.File) is { } environment) ex = environment;
        var message = ex is CdpException c ? $"{c.Diagnostic.Code}: {c.Message}" : $"{LocalErrors.Unexpected}: {ex.GetType().Name} in {name} of {file}: {ex.Message}";
        _run.Recorder.Finished(name, "error", message, log, null, LocalTaskErrors.CauseOf(ex));
        // Not "<name>: error CODE: …": CI log scanners read that shape as a build error, even when a fix heals the step.
        _run.Log.Info($"{name} failed ({message})", important: true);
        throw new TaskFailedException(name, message);
    }

    /// <summary>Digdag's _error: tasks that run after the task failed; the task stays failed whatever they do.</summary>
    void RunErrorTasks(string name, OrderedDictionary<string, object?> onError, Scope scope, string file)
    {
        try { RunTask(name + "^error", onError, scope, file); }
        catch (TaskFailedException failed) { _run.Log.Info($"{name}^error failed too: {failed.Message}", important: true); }
    }

    void RunOperator(string name, string operatorKey, OrderedDictionary<string, object?> definition, Scope scope, string file, System.Text.StringBuilder log)
    {
        if (!_operators.TryGetValue(operatorKey, out var op))
            throw new CdpException(LocalErrors.UnknownOperator,
                $"Operator '{operatorKey}' of task {name} in {file} is not supported by the Local target. Supported: {string.Join(", ", _operators.Keys.Order(StringComparer.Ordinal))}.");
        var where = $"task {name} of {file}";
        (bool, object?) Lookup(string expr) => this.Lookup(scope, expr, name);
        var parameters = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in definition.Where(kv => kv.Key != operatorKey && !kv.Key.StartsWith('_') && !kv.Key.StartsWith('+')))
            parameters[key] = Template.ExpandTree(value, Lookup, where);
        var call = new OperatorCall
        {
            TaskName = name, File = file, Command = Template.ExpandTree(definition[operatorKey], Lookup, where), Definition = definition,
            Params = parameters, Scope = scope, Run = _run, Runner = this, Log = log,
        };
        op.Run(call);
        _run.Log.Info($"{name}: {log.ToString().TrimEnd().Split('\n').LastOrDefault()}");
    }

    /// <summary>task_name, then stored parameters, then exports (innermost first), then session variables.</summary>
    internal (bool Found, object? Value) Lookup(Scope scope, string path, string taskName)
    {
        if (path == "task_name") return (true, taskName);
        if (Scope.TryPath(_run.Store, path, out var stored)) return (true, stored);
        var exported = scope.Get(path);
        if (exported.Found) return exported;
        return Scope.TryPath(_run.Builtins, path, out var builtin) ? (true, builtin) : (false, null);
    }
}

/// <summary>Unwinds the task tree after the failing task recorded its error.</summary>
internal sealed class TaskFailedException(string taskName, string message) : Exception(message)
{
    public string TaskName { get; } = taskName;
}

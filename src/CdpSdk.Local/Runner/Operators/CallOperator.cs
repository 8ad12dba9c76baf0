using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>call>: runs another workflow of the project as this task's subtasks (named ^sub, as in Digdag).</summary>
internal sealed class CallOperator : IOperator
{
    public string Name => "call";

    public void Run(OperatorCall call)
    {
        var target = call.CommandText.Trim();
        if (target.Length == 0) throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: call> needs a workflow file, e.g. call>: other.dig.");
        if (!target.EndsWith(".dig", StringComparison.Ordinal)) target += ".dig";
        var file = call.Run.Files.Resolve(call.File, target);
        var definition = DigdagYaml.Load(call.Run.Files, file);
        call.Info($"call> {file}");
        call.Runner.RunTask(call.TaskName + "^sub", definition, call.Scope, file);
    }
}

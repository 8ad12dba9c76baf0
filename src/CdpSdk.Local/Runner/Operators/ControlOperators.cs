using System.Globalization;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Runner.Operators;

/// <summary>Runs a task's _do (or _else_do) block as subtasks, with extra variables in scope.</summary>
internal static class Blocks
{
    public static void Run(OperatorCall call, string block, string name, OrderedDictionary<string, object?> variables)
    {
        if (call.Definition.GetValueOrDefault(block) is not OrderedDictionary<string, object?> body)
            throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where} needs a {block}: block of tasks.");
        call.Runner.RunTask($"{call.TaskName}^sub{name}", body, call.Scope.With(variables), call.File);
    }
}

/// <summary>loop>: N runs _do N times with ${i} = 0 … N-1.</summary>
internal sealed class LoopOperator : IOperator
{
    public string Name => "loop";

    public void Run(OperatorCall call)
    {
        if (!int.TryParse(call.CommandText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: loop> needs a count, not '{call.CommandText}'.");
        for (var i = 0; i < count; i++)
            Blocks.Run(call, "_do", $"+loop-{i}", new(StringComparer.Ordinal) { ["i"] = (long)i });
        call.Info($"looped {count} times");
    }
}

/// <summary>for_each>: {key: [values], …} runs _do once per combination, each key exported as a variable.</summary>
internal sealed class ForEachOperator : IOperator
{
    public string Name => "for_each";

    public void Run(OperatorCall call)
    {
        if (call.Command is not OrderedDictionary<string, object?> axes || axes.Values.Any(v => v is not List<object?>))
            throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: for_each> needs a mapping of lists, e.g. for_each>: {{table: [a, b]}}.");
        IEnumerable<OrderedDictionary<string, object?>> combinations = [new(StringComparer.Ordinal)];
        foreach (var (key, values) in axes)
            combinations = combinations.SelectMany(c => ((List<object?>)values!).Select(v => new OrderedDictionary<string, object?>(c, StringComparer.Ordinal) { [key] = v })).ToList();
        var n = 0;
        foreach (var combination in combinations)
        {
            var label = string.Join(",", combination.Select(kv => $"{kv.Key}={Template.Render(kv.Value)}"));
            Blocks.Run(call, "_do", $"+for-{n++}={label}", combination);
        }
        call.Info($"ran {n} combinations");
    }
}

/// <summary>if>: true runs _do, false runs _else_do when present.</summary>
internal sealed class IfOperator : IOperator
{
    public string Name => "if";

    public void Run(OperatorCall call)
    {
        var condition = call.CommandText.Trim().ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            _ => throw new CdpException(LocalErrors.BadTaskParameter, $"{call.Where}: if> needs true or false, not '{call.CommandText}'."),
        };
        if (condition) Blocks.Run(call, "_do", "", new(StringComparer.Ordinal));
        else if (call.Definition.ContainsKey("_else_do")) Blocks.Run(call, "_else_do", "", new(StringComparer.Ordinal));
        call.Info($"condition {condition}");
    }
}

namespace CdpSdk.Local.Runner.Operators;

/// <summary>echo>: writes its text to the task log.</summary>
internal sealed class EchoOperator : IOperator
{
    public string Name => "echo";

    public void Run(OperatorCall call) => call.Info(Template.Render(call.Command));
}

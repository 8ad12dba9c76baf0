using CdpSdk.Core.Backend;

namespace CdpSdk.Core.Tests.Backend;

/// <summary>The text of the terminal logger's live line for a long step: workflow › task, elapsed, cut to fit.</summary>
public sealed class WorkProgressTests
{
    [Test]
    public void TheTaskIsNamedUnderItsWorkflowWithItsElapsedTime()
    {
        var now = new WorkProgress("transform_shopify", "+transform_shopify+customers+load");

        Assert.That(now.TaskInWorkflow, Is.EqualTo("+customers+load"));
        Assert.That(now.LiveText(TimeSpan.FromSeconds(12.7), 60), Is.EqualTo("transform_shopify › +customers+load, 12s"));
    }

    [Test]
    public void BetweenTasksOnlyTheWorkflowIsShown()
    {
        Assert.That(new WorkProgress("unif_runner").LiveText(TimeSpan.Zero, 60), Is.EqualTo("unif_runner, 0s"));
        Assert.That(new WorkProgress("unif_runner", "+unif_runner").LiveText(TimeSpan.Zero, 60), Is.EqualTo("unif_runner, 0s"), "the workflow's own root task");
    }

    [TestCase(0, "0s")]
    [TestCase(59.9, "59s")]
    [TestCase(60, "1m 00s")]
    [TestCase(187, "3m 00s")]
    [TestCase(192, "3m 10s")]
    [TestCase(3600 + 5 * 60 + 30, "1h 05m")]
    public void ElapsedTimeIsCoarserTheLongerATaskRuns(double seconds, string text) =>
        Assert.That(WorkProgress.Elapsed(TimeSpan.FromSeconds(seconds)), Is.EqualTo(text));

    [Test]
    public void ALongTaskNameLosesItsStartAndTheElapsedTimeIsKept()
    {
        var now = new WorkProgress("transform_shopify", "+transform_shopify+customers_with_a_very_long_name+load_the_rows");

        var text = now.LiveText(TimeSpan.FromSeconds(5), 40);

        Assert.That(text.Length, Is.LessThanOrEqualTo(40), text);
        Assert.That(text, Does.StartWith("transform_shopify › …").And.EndWith("+load_the_rows, 5s"));
    }

    [Test]
    public void ALongWorkflowNameKeepsItsStartAndLeavesRoomForTheTask()
    {
        var text = new WorkProgress("a_workflow_with_a_name_much_longer_than_usual", "+a_workflow_with_a_name_much_longer_than_usual+step").LiveText(TimeSpan.FromSeconds(1), 40);

        Assert.That(text.Length, Is.LessThanOrEqualTo(40), text);
        Assert.That(text, Does.StartWith("a_workflow").And.Contain("…").And.EndWith(" › +step, 1s"));
    }
}

using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Checks the CdpPlan target's properties (CdpPlanFormat, CdpPlanGoal) with the rest of the project, so a
/// misspelt value is a coded error at its line instead of a plan in another form. The task reads them itself.
/// </summary>
internal static class PlanSettingsReader
{
    public static void Check(ReadContext ctx)
    {
        var format = ctx.Project.Property("CdpPlanFormat");
        if (format.Length > 0 && !format.Equals("text", StringComparison.OrdinalIgnoreCase) && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
            ctx.Error("CDP0180", $"CdpPlanFormat '{format}' is not a plan format: use text (the default) or json.", ctx.Project.PropertyLocation("CdpPlanFormat"));
        var goal = ctx.Project.Property("CdpPlanGoal");
        if (goal.Length > 0 && (!Enum.TryParse<Step>(goal, ignoreCase: true, out var step) || !Enum.IsDefined(step) || int.TryParse(goal, out _)))
            ctx.Error("CDP0181", $"CdpPlanGoal '{goal}' is not a step: use one of {string.Join(", ", PhaseOrder.Steps)} (the plan goes up to it).", ctx.Project.PropertyLocation("CdpPlanGoal"));
    }
}

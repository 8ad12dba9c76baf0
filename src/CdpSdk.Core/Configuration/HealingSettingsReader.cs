using CdpSdk.Core.Diagnosis;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads the self-healing properties: CdpAutoFixMinConfidence, CdpApprove, CdpStep*, CdpHandEditedFiles, CdpSkipFailedPhase.</summary>
internal static class HealingSettingsReader
{
    static readonly Dictionary<string, HandEditPolicy> HandEdits = new()
    {
        ["Ask"] = HandEditPolicy.Ask, ["Keep"] = HandEditPolicy.Keep, ["Regenerate"] = HandEditPolicy.Regenerate,
    };

    public static HealingSettings Read(ReadContext ctx, RunMode mode)
    {
        var p = ctx.Project;
        return new HealingSettings
        {
            Mode = mode,
            MinConfidence = ctx.Number("CdpAutoFixMinConfidence", 0.8, 0, 1),
            Approved = Approvals(ctx),
            StepMaxAttempts = (int)ctx.Number("CdpStepMaxAttempts", 3, 1, 20),
            StepRetryDelay = TimeSpan.FromSeconds(ctx.Number("CdpStepRetryDelay", 5, 0, 3600)),
            StepRetryMultiplier = ctx.Number("CdpStepRetryMultiplier", 2, 1, 10),
            HandEdits = ctx.ParseChoice(p.Property("CdpHandEditedFiles"), HandEditPolicy.Ask, HandEdits, "CDP0024", "CdpHandEditedFiles", p.PropertyLocation("CdpHandEditedFiles")),
            SkipFailed = SkippedPhases(ctx),
        };
    }

    /// <summary>Codes separated by ';' or ','; only diagnosis codes can be approved, so a typo is caught before it silently approves nothing.</summary>
    static IReadOnlyList<string> Approvals(ReadContext ctx)
    {
        var codes = List(ctx.Project.Property("CdpApprove")).Select(c => c.ToUpperInvariant()).ToList();
        foreach (var code in codes.Where(c => !DiagnosisCatalog.Codes.Contains(c)))
            ctx.Error("CDP0022", $"CdpApprove '{code}' is not a diagnosis code. Approve the code a stopped build printed, one of: {string.Join(", ", DiagnosisCatalog.Codes)}.",
                ctx.Project.PropertyLocation("CdpApprove"));
        return codes.Distinct().ToList();
    }

    static IReadOnlyList<Phase> SkippedPhases(ReadContext ctx)
    {
        var phases = new List<Phase>();
        foreach (var text in List(ctx.Project.Property("CdpSkipFailedPhase")))
        {
            if (PhaseOrder.TryParse(text, out var phase)) phases.Add(phase);
            else ctx.Error("CDP0023", $"CdpSkipFailedPhase '{text}' is not a phase. Use one of: {string.Join(", ", PhaseOrder.All)}.", ctx.Project.PropertyLocation("CdpSkipFailedPhase"));
        }
        return phases.Distinct().ToList();
    }

    static IEnumerable<string> List(string text) =>
        text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

namespace CdpSdk.Core.Model;

/// <summary>The four phases, in the only order they may run.</summary>
public enum Phase { Ingestion = 0, HistUnion = 1, Staging = 2, Unification = 3 }

/// <summary>The five steps every phase goes through, in order.</summary>
public enum Step { Generate = 0, Deploy = 1, Execute = 2, Monitor = 3, Validate = 4 }

public static class PhaseOrder
{
    public static readonly IReadOnlyList<Phase> All = [Phase.Ingestion, Phase.HistUnion, Phase.Staging, Phase.Unification];
    public static readonly IReadOnlyList<Step> Steps = [Step.Generate, Step.Deploy, Step.Execute, Step.Monitor, Step.Validate];

    public static Phase? Upstream(this Phase phase) => phase == Phase.Ingestion ? null : phase - 1;

    /// <summary>The folder name TD's CDP plugins use for the phase's workflow project.</summary>
    public static string FolderName(this Phase phase) => phase switch
    {
        Phase.Ingestion => "ingestion",
        Phase.HistUnion => "hist_union",
        Phase.Staging => "staging",
        Phase.Unification => "unification",
        _ => throw new ArgumentOutOfRangeException(nameof(phase)),
    };

    public static bool TryParse(string text, out Phase phase) =>
        Enum.TryParse(text.Replace("-", "").Replace("_", ""), ignoreCase: true, out phase) && Enum.IsDefined(phase);
}

namespace CdpSdk.Local.Bench;

/// <summary>One measured run: wall-clock seconds of the measured part, and the peak memory of its process (0: unknown).</summary>
internal sealed record Result(string Name, double Seconds, long PeakBytes)
{
    /// <summary>Rows the measured part went through, when not the run's row count.</summary>
    public int? Rows { get; init; }
}

using CdpSdk.Core.State;

namespace CdpSdk.Core.Phases;

/// <summary>
/// A phase's session time names one run of its workflows: Execute after an interruption reuses it and so
/// gets the same session back instead of a duplicate; a new run needs a new one.
/// </summary>
internal static class SessionTimes
{
    /// <summary>
    /// Now, in whole seconds (as Digdag's session times are), and always after the phase's last one: a new run
    /// within the same second as the last (a fix resuming at Generate on a fast target) would otherwise get the
    /// finished session back.
    /// </summary>
    public static DateTimeOffset Next(PhaseState phase)
    {
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        return phase.SessionTime is { } last && now <= last ? last.AddSeconds(1) : now;
    }
}

using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Reporting;

/// <summary>One warehouse read of the report: a failed query leaves its part out with a note; a report is still worth having without it.</summary>
internal static class FactQuery
{
    public static async Task<T?> Try<T>(List<string> notes, Func<Task<T>> query, string what) where T : class
    {
        try
        {
            return await query();
        }
        catch (CdpException e)
        {
            notes.Add($"Could not read {what}: {e.Message}");
            return null;
        }
    }
}

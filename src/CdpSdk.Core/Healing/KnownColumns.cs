using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Phases;

namespace CdpSdk.Core.Healing;

/// <summary>
/// The columns a phase's queries can name: those of the tables it reads, plus (for staging) the cleaned
/// and standardised columns its own transform adds, so a wrong name can be matched to the closest real one.
/// </summary>
public static class KnownColumns
{
    public static async Task<IReadOnlyList<string>?> OfPhaseAsync(StepContext ctx)
    {
        var spec = ctx.Spec;
        IEnumerable<(string Database, string Table)> inputs = ctx.Phase switch
        {
            Phase.HistUnion => spec.HistUnion.SelectMany(h => new[] { h.HistTable, h.IncTable }.OfType<string>().Select(t => (h.Database, t))),
            Phase.Staging => spec.Staging.Select(t => (t.InputDatabase, t.Input)),
            Phase.Unification => spec.Unifications.SelectMany(u => u.Tables.Select(t => (t.Database, t.Table))),
            _ => [],
        };
        var columns = new SortedSet<string>(StringComparer.Ordinal);
        if (ctx.Phase == Phase.Staging)
            foreach (var t in spec.Staging)
                columns.UnionWith(t.EmailColumns.Select(c => "cleaned_" + c).Concat(t.PhoneColumns.Concat(t.TimestampColumns).Select(c => "standardized_" + c)));
        try
        {
            using var backend = ctx.Backend();
            foreach (var group in inputs.GroupBy(i => i.Database))
            {
                var wanted = group.Select(g => g.Table).ToHashSet(StringComparer.Ordinal);
                foreach (var table in (await backend.ListTablesAsync(group.Key, ctx.Cancellation)).Where(t => wanted.Contains(t.Name)))
                    columns.UnionWith(table.Columns);
            }
        }
        catch (Exception e) when (e is CdpException or IOException or InvalidOperationException)
        {
            // The diagnosis still helps without suggestions.
        }
        return columns.Count == 0 ? null : columns.ToList();
    }
}

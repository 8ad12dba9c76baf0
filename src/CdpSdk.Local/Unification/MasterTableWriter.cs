using System.Globalization;
using System.Text.Json;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Unification;

/// <summary>
/// A master table: one row per id, each attribute picked from its source columns in the enriched tables —
/// the lowest priority that has a valid value wins, then first or last by order_by (row order without it);
/// array_elements &gt; 1 keeps that many values, best first, as a JSON array: one per record, repeats kept, as
/// TD does (its ex5 tutorial shows td_global_id ["3rd_019" ×5]). Equal priorities across tables form one pool ordered by order_by.
/// </summary>
internal static class MasterTableWriter
{
    sealed record Candidate(int Priority, bool Last, object? OrderBy, long Row, string Value);

    public static string Write(Db db, UnifyConfig config, MasterTable master)
    {
        var id = config.Ids.Single(i => i.Name == master.IdName);
        // One row per id, also for ids none of the attribute's tables knows (their attributes are NULL).
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in db.Read($"SELECT DISTINCT id FROM {Sql.Table(config.Database, UnificationEngine.LookupTable(id))}")) ids.Add((string)row[0]!);
        var picked = new Dictionary<string, object?>[master.Attributes.Count];
        for (var a = 0; a < master.Attributes.Count; a++)
        {
            var attribute = master.Attributes[a];
            var candidates = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
            void Add(string idValue, Candidate candidate)
            {
                if (!candidates.TryGetValue(idValue, out var list)) candidates[idValue] = list = [];
                list.Add(candidate);
            }
            if (attribute.SourceId is { } sourceId)
            {
                // source_canonical_id / source_persistent_id: the other id's values among this id's records, in table then row order.
                var seen = 0L;
                foreach (var table in config.Tables)
                    foreach (var row in db.Read($"SELECT {Sql.Quote(id.Name)}, {Sql.Quote(sourceId)} FROM {Sql.Table(config.Database, "enriched_" + table.Alias)} WHERE {Sql.Quote(id.Name)} IS NOT NULL AND {Sql.Quote(sourceId)} IS NOT NULL ORDER BY rowid"))
                        Add((string)row[0]!, new Candidate(1, false, null, seen++, (string)row[1]!));
            }
            foreach (var source in attribute.Sources)
            {
                var table = config.Tables.First(t => t.Alias == source.Table || t.Table == source.Table);
                var enriched = Sql.Table(config.Database, "enriched_" + table.Alias);
                var orderBy = source.OrderBy is { Length: > 0 } o ? Sql.Quote(o) : "NULL";
                foreach (var row in db.Read($"SELECT {Sql.Quote(id.Name)}, {Sql.Quote(source.Column)}, {orderBy}, rowid FROM {enriched} WHERE {Sql.Quote(id.Name)} IS NOT NULL"))
                {
                    var idValue = (string)row[0]!;
                    var value = row[1] is null ? null : Convert.ToString(row[1], CultureInfo.InvariantCulture);
                    if (value is null || !attribute.Rule.Accepts(value)) continue;
                    Add(idValue, new Candidate(source.Priority, source.Last, row[2], Convert.ToInt64(row[3], CultureInfo.InvariantCulture), value));
                }
            }
            picked[a] = candidates.ToDictionary(kv => kv.Key, kv => Pick(kv.Value, attribute.ArrayElements), StringComparer.Ordinal);
        }

        var target = Sql.Table(config.Database, master.Name);
        db.Execute($"DROP TABLE IF EXISTS {target}");
        db.Execute($"CREATE TABLE {target} ({Sql.Quote(id.Name)} VARCHAR NOT NULL{string.Concat(master.Attributes.Select(a => ", " + Sql.Quote(a.Name) + " VARCHAR"))})");
        using var insert = db.Connection.CreateAppender(config.Database, master.Name);
        foreach (var idValue in ids)
        {
            var row = insert.CreateRow().AppendValue(idValue);
            for (var a = 0; a < picked.Length; a++)
                row = picked[a].GetValueOrDefault(idValue) is string value ? row.AppendValue(value) : row.AppendNullValue();
            row.EndRow();
        }
        return master.Name;
    }

    static object? Pick(List<Candidate> candidates, int arrayElements)
    {
        var ordered = candidates.OrderBy(c => c.Priority).ThenBy(c => c, new ByOrder()).Select(c => c.Value).Take(Math.Max(1, arrayElements)).ToList();
        return arrayElements > 1 ? JsonSerializer.Serialize(ordered) : ordered.FirstOrDefault();
    }

    /// <summary>first: ascending order_by (then row); last: descending; values without order_by sort after.</summary>
    sealed class ByOrder : IComparer<Candidate>
    {
        public int Compare(Candidate? x, Candidate? y)
        {
            var (a, b) = (x!, y!);
            var byValue = (a.OrderBy, b.OrderBy) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => Comparer<object>.Create((p, q) => p is string || q is string
                    ? string.CompareOrdinal(Convert.ToString(p, CultureInfo.InvariantCulture), Convert.ToString(q, CultureInfo.InvariantCulture))
                    : Convert.ToDouble(p, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(q, CultureInfo.InvariantCulture))).Compare(a.OrderBy, b.OrderBy),
            };
            if (byValue == 0) byValue = a.Row.CompareTo(b.Row);
            return a.Last ? -byValue : byValue;
        }
    }
}

using System.Text.Json;

namespace CdpSdk.Local.Runner;

/// <summary>
/// The stored parameters (td.last_job.num_records, td.last_results …) as JSON in the system database, so a
/// resumed attempt that skips a finished task still gives the tasks after it what that task stored.
/// </summary>
internal static class StoreJson
{
    public static string Write(OrderedDictionary<string, object?> store) => JsonSerializer.Serialize(store);

    public static void Restore(OrderedDictionary<string, object?> store, string json)
    {
        using var doc = JsonDocument.Parse(json);
        store.Clear();
        if (Value(doc.RootElement) is OrderedDictionary<string, object?> map)
            foreach (var (k, v) in map) store[k] = v;
    }

    static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new OrderedDictionary<string, object?>(StringComparer.Ordinal), (m, p) => { m[p.Name] = Value(p.Value); return m; }),
        JsonValueKind.Array => e.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}

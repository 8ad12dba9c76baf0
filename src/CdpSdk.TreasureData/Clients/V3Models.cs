using System.Text.Json.Serialization;

namespace CdpSdk.TreasureData.Clients;

// The v3 API's JSON (snake_case), as far as CdpSdk reads it.

public sealed record V3Database(string Name, long Count);

public sealed record V3DatabaseList(IReadOnlyList<V3Database> Databases);

public sealed record V3Table(string Name, long Count, string? Schema, string? Type);

public sealed record V3TableList(string Database, IReadOnlyList<V3Table> Tables);

public sealed record V3JobIssued([property: JsonPropertyName("job_id")] string JobId);

public sealed record V3JobStatus(
    [property: JsonPropertyName("job_id")] string JobId,
    string Status,
    [property: JsonPropertyName("num_records")] long? NumRecords = null);

public sealed record V3Debug(string? Cmdout, string? Stderr);

public sealed record V3JobShow(
    [property: JsonPropertyName("job_id")] string JobId,
    string Status,
    [property: JsonPropertyName("hive_result_schema")] string? HiveResultSchema,
    V3Debug? Debug);

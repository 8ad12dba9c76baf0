using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Hashing;

/// <summary>
/// The resolved configuration of one phase as canonical JSON, and its hash. Step targets use the hash
/// as an input stamp: timestamps alone miss a changed property or a deleted file. Only what changes a
/// phase's output is included (not source line numbers, not runtime switches such as CdpMode), and
/// upstream settings reach a phase through its derived plan (e.g. a source's Mode shapes hist-union).
/// </summary>
public static class PhaseConfiguration
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string Describe(PipelineSpec spec, Phase phase, string sdkVersion)
    {
        var s = spec.Settings;
        var hiveRendering = Sql.SqlDialects.For(s) == Sql.SqlDialects.Hive;
        object common = new
        {
            sdkVersion,
            phase = phase.ToString(),
            s.Client,
            target = s.Target.ToString(),
            // Every phase writes SQL (ingestion_log, hist-union, staging, prep and enrich) in the dialect; Local runs Presto on DuckDB.
            engine = s.Target == TargetKind.TreasureData ? s.Engine.ToTd() : "presto-duckdb",
            s.Region,
            s.Endpoints,
            s.WarehouseDir,
            s.GeneratedDir,
            // Only this phase's schedule: scheduling one phase does not regenerate the others.
            schedule = s.Schedules?.For(phase) ?? "",
        };
        object detail = phase switch
        {
            Phase.Ingestion => new
            {
                sources = spec.Sources.Select(x => new { x.Name, x.Connector, mode = x.Mode.ToTd(), x.IncrementalField, x.StartDate, x.Database, x.AuthHeaderEnv }),
                objects = spec.Objects.Select(o => new { o.Name, o.Source, o.Location, o.HistoricalLocation, o.Format, o.Table, o.PrimaryKey, o.Paging, o.Csv, o.AcceptNewColumns }),
                files = DataFiles(spec).Select(Fingerprint),
            },
            Phase.HistUnion => new { tables = spec.HistUnion },
            Phase.Staging => new
            {
                tables = spec.Staging.Select(t => new
                {
                    t.Input, t.InputDatabase, t.Output, t.Database, t.Source, t.EmailColumns, t.PhoneColumns, t.TimestampColumns, t.IncrementalField, t.TransformSql,
                    transformSqlFile = t.TransformSql.Length == 0 ? null : Fingerprint(Path.Combine(s.ProjectDirectory, t.TransformSql)),
                    // The Hive file only where TD runs the Hive rendering: Local never reads it, so editing it re-runs nothing there.
                    TransformHiveSql = hiveRendering ? t.TransformHiveSql : null,
                    transformHiveSqlFile = hiveRendering && t.TransformHiveSql.Length > 0 ? Fingerprint(Path.Combine(s.ProjectDirectory, t.TransformHiveSql)) : null,
                }),
            },
            Phase.Unification => new
            {
                s.MinIdCoverage,
                // unify.yml's incremental_columns come from the staged tables' incremental fields.
                incrementalColumns = spec.Staging.Select(t => new { t.Database, t.Output, t.IncrementalField }),
                unifications = spec.Unifications.Select(u => new
                {
                    u.Name, idMethod = u.IdMethod.ToTd(), strategy = u.UpdateStrategy.ToString(), u.IdName, u.MergeIterations, u.UnifyYmlPath, u.Keys, u.Tables, u.MasterAttributes,
                    unifyYml = u.UnifyYmlPath.Length == 0 ? null : Fingerprint(Path.Combine(s.ProjectDirectory, u.UnifyYmlPath)),
                }),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(phase)),
        };
        // The phase's data-quality checks decide whether it validates, so a changed check runs the phase again.
        var checks = spec.Checks.Where(c => c.Phase == phase).Select(c => c with { At = new Diagnostics.SourceLocation("") }).ToList();
        return checks.Count == 0
            ? JsonSerializer.Serialize(new { common, detail }, Json).ReplaceLineEndings("\n")
            : JsonSerializer.Serialize(new { common, detail, checks }, Json).ReplaceLineEndings("\n");
    }

    public static string Hash(PipelineSpec spec, Phase phase, string sdkVersion) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe(spec, phase, sdkVersion))));

    /// <summary>Local files a phase reads; MSBuild also uses them as step inputs.</summary>
    public static IReadOnlyList<string> InputFiles(PipelineSpec spec, Phase phase) => phase switch
    {
        Phase.Ingestion => DataFiles(spec),
        Phase.Staging => Configuration.UserTransform.InputFiles(spec),
        Phase.Unification => spec.Unifications.Where(u => u.UnifyYmlPath.Length > 0)
            .Select(u => Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, u.UnifyYmlPath))).ToList(),
        _ => [],
    };

    static IReadOnlyList<string> DataFiles(PipelineSpec spec)
    {
        if (spec.Settings.Target != TargetKind.Local) return [];
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var o in spec.Objects)
        {
            var source = spec.SourceOf(o);
            if (source.Connector != "file") continue;
            if (source.LoadsIncremental) files.Add(Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, o.Location)));
            if (source.LoadsHistorical) files.Add(Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, o.HistoricalLocation)));
        }
        return files.ToList();
    }

    /// <summary>Path and content hash: a replaced or deleted file changes the hash even when its timestamp went backwards, a file written again with the same bytes does not.</summary>
    static string Fingerprint(string path) => $"{path}|{ContentHash.Of(path)}";
}

using System.Text.RegularExpressions;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// A user's own staging SQL (CdpStaging TransformSql="sql/x.sql"): one SELECT that reads the cleaned rows
/// as <c>cleaned</c>. The generator wraps it as <c>WITH cleaned AS (…generated…) &lt;user's SELECT&gt;</c>, which
/// Presto and Hive accept. The file is Presto SQL (TD's dialect): the Local target runs it through its Presto
/// layer on DuckDB, the unit tests on the same layer, the TreasureData target on Presto. A project with
/// CdpSqlEngine=hive gives the same SELECT in Hive SQL as well (TransformHiveSql), which TD runs on Hive: the two
/// dialects differ in quoting, functions, regular expressions and casts, so one text cannot serve both.
/// </summary>
public static partial class UserTransform
{
    /// <summary>The name the user's SELECT reads the cleaned rows from.</summary>
    public const string CleanedRelation = "cleaned";

    public const string PrestoMetadata = "TransformSql";
    public const string HiveMetadata = "TransformHiveSql";

    /// <summary>The metadata naming the file a rendering in <paramref name="sql"/> embeds.</summary>
    public static string MetadataFor(ISqlDialect sql) => sql == SqlDialects.Hive ? HiveMetadata : PrestoMetadata;

    /// <summary>The user's file (relative to the project) that the rendering in <paramref name="sql"/> embeds, or empty.</summary>
    public static string FileFor(StagingTableSpec s, ISqlDialect sql) => sql == SqlDialects.Hive ? s.TransformHiveSql : s.TransformSql;

    /// <summary>Every transform file of the project, in both dialects (a renamed column is renamed in all of them).</summary>
    public static IReadOnlyList<string> AllFiles(PipelineSpec spec) => Full(spec, spec.Staging.SelectMany(t => new[] { t.TransformSql, t.TransformHiveSql }));

    /// <summary>
    /// The transform files a build reads: the Presto files always (Local runs them; the unit tests run them before
    /// Deploy on every target), and the Hive files when TD runs the Hive rendering.
    /// </summary>
    public static IReadOnlyList<string> InputFiles(PipelineSpec spec) => Full(spec, spec.Staging.SelectMany(t =>
        SqlDialects.For(spec.Settings) == SqlDialects.Hive ? new[] { t.TransformSql, t.TransformHiveSql } : [t.TransformSql]));

    static IReadOnlyList<string> Full(PipelineSpec spec, IEnumerable<string> paths) =>
        paths.Where(p => p.Length > 0).Select(p => Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, p))).Distinct().ToList();

    [GeneratedRegex(@"^\s*(--[^\n]*\n\s*|/\*.*?\*/\s*)*(select|with)\b", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex StartsWithQuery();

    internal static string Read(ReadContext ctx, GlobalSettings settings, RawItem item) =>
        ReadFile(ctx, settings, item, PrestoMetadata, "CDP0100", "CDP0101");

    /// <summary>
    /// TransformHiveSql: required beside TransformSql (and the other way round) when CdpSqlEngine is hive, whatever the
    /// target, so switching a hive project to TreasureData never finds the Hive half missing; unused, so a warning and
    /// not kept, when the engine is presto.
    /// </summary>
    internal static string ReadHive(ReadContext ctx, GlobalSettings settings, RawItem item, string prestoPath)
    {
        var path = item.Get(HiveMetadata);
        if (settings.Engine != SqlEngine.Hive)
        {
            if (path.Length > 0)
                ctx.Warning("CDP0109", $"{HiveMetadata} '{path}' of CdpStaging '{item.Identity}' is not used: CdpSqlEngine is presto, so every target runs "
                    + (prestoPath.Length > 0 ? $"{PrestoMetadata} '{prestoPath}'" : "the generated cleaning only")
                    + $". Remove {HiveMetadata}, set CdpSqlEngine to hive, or set the metadata only under Condition=\"'$(CdpSqlEngine)' == 'hive'\".", item.Location);
            return "";
        }
        if (path.Length == 0 && prestoPath.Length > 0)
            ctx.Error("CDP0106", $"CdpStaging '{item.Identity}' has {PrestoMetadata} '{prestoPath}' but no {HiveMetadata}: with CdpSqlEngine=hive, TD runs a Hive "
                + $"version of the transform (Local and the unit tests run the Presto file). Write the same SELECT over {CleanedRelation} in Hive SQL as "
                + $"{HiveName(prestoPath)} and add {HiveMetadata}=\"{HiveName(prestoPath)}\" to the item.", item.Location);
        else if (path.Length > 0 && prestoPath.Length == 0)
            ctx.Error("CDP0106", $"CdpStaging '{item.Identity}' has {HiveMetadata} '{path}' but no {PrestoMetadata}: Local and the unit tests run the "
                + $"Presto version of the transform. Write the same SELECT over {CleanedRelation} in Presto SQL as {PrestoName(path)} and add "
                + $"{PrestoMetadata}=\"{PrestoName(path)}\" to the item.", item.Location);
        return path.Length == 0 ? "" : ReadFile(ctx, settings, item, HiveMetadata, "CDP0107", "CDP0108");
    }

    static string ReadFile(ReadContext ctx, GlobalSettings settings, RawItem item, string metadata, string missingCode, string invalidCode)
    {
        var path = item.Get(metadata);
        if (path.Length == 0) return "";
        var full = Path.GetFullPath(Path.Combine(settings.ProjectDirectory, path));
        if (!File.Exists(full))
        {
            ctx.Error(missingCode, $"{metadata} '{path}' of CdpStaging '{item.Identity}' does not exist (looked for {full}).", item.Location);
            return path;
        }
        if (Problem(File.ReadAllText(full)) is { } problem)
            ctx.Error(invalidCode, $"{metadata} '{path}' of CdpStaging '{item.Identity}' {problem}.", new(full, 1, 1));
        return path;
    }

    /// <summary>The name a Hive file is given beside its Presto one: sql/x.sql → sql/x.hive.sql.</summary>
    static string HiveName(string prestoPath) =>
        prestoPath.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? prestoPath[..^4] + ".hive.sql" : prestoPath + ".hive.sql";

    /// <summary>sql/x.hive.sql → sql/x.sql; another name gets .presto.sql.</summary>
    static string PrestoName(string hivePath) =>
        hivePath.EndsWith(".hive.sql", StringComparison.OrdinalIgnoreCase) ? hivePath[..^9] + ".sql"
        : hivePath.EndsWith(".sql", StringComparison.OrdinalIgnoreCase) ? hivePath[..^4] + ".presto.sql" : hivePath + ".presto.sql";

    /// <summary>Why the text cannot be used as the transform, or null.</summary>
    public static string? Problem(string sql)
    {
        var body = Body(sql);
        if (body.Length == 0) return "is empty: write one SELECT that reads FROM cleaned";
        if (!StartsWithQuery().IsMatch(body)) return "must be a single SELECT (or WITH … SELECT) statement";
        var code = CodeOnly(body);
        // A second statement would run outside the generated CREATE TABLE … AS and could do anything.
        if (code.Contains(';')) return "must hold exactly one statement: remove the ';' inside it";
        if (!Regex.IsMatch(code, $@"\b{CleanedRelation}\b", RegexOptions.IgnoreCase)) return $"must read the cleaned rows: SELECT … FROM {CleanedRelation}";
        return null;
    }

    /// <summary>The text without comments and string literals, so a ';' or a word inside them does not count.</summary>
    static string CodeOnly(string sql) => CommentOrString().Replace(sql, m => m.Value.StartsWith('\'') ? "''" : " ");

    [GeneratedRegex(@"--[^\n]*|/\*.*?\*/|'(?:[^']|'')*'", RegexOptions.Singleline)]
    private static partial Regex CommentOrString();

    /// <summary>The statement without trailing whitespace and a trailing ';', line endings normalised.</summary>
    public static string Body(string sql) => sql.ReplaceLineEndings("\n").Trim().TrimEnd(';').TrimEnd();
}

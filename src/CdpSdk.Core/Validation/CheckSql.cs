using System.Globalization;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Validation;

/// <summary>
/// Each row-level rule as one query returning the rows that break it (as dbt's generic tests do), in
/// the SQL Presto and Hive share; where they differ (numeric casts) the dialect decides. The Local target
/// runs the Presto text on DuckDB through its Presto layer, which also installs TD's UDFs (TD_TIME_PARSE …).
/// </summary>
public static class CheckSql
{
    /// <summary>How far ahead of the check's clock a timestamp may lie before it is implausible (clock skew, time zones).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    public static string BadRows(CheckSpec c, ISqlDialect d, DateTimeOffset now)
    {
        var t = d.Table(c.Database, c.Table);
        var col = d.Quote(c.Column);
        return c.Rule switch
        {
            CheckRule.NotNull => $"SELECT * FROM {t} WHERE {col} IS NULL",
            CheckRule.Unique => $"SELECT {col}, COUNT(*) AS {d.Quote("occurrences")} FROM {t} WHERE {col} IS NOT NULL GROUP BY {col} HAVING COUNT(*) > 1",
            CheckRule.AcceptedValues =>
                $"SELECT * FROM {t} WHERE {col} IS NOT NULL AND {d.AsText(col)} NOT IN ({string.Join(", ", c.Values.Select(d.Literal))})",
            CheckRule.Relationships =>
                $"SELECT c.* FROM {t} c WHERE c.{col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {d.Table(c.ToDatabase, c.ToTable)} p WHERE {d.AsText("p." + d.Quote(c.Field))} = {d.AsText("c." + col)})",
            CheckRule.Range => $"SELECT * FROM {t} WHERE {col} IS NOT NULL AND ({string.Join(" OR ", RangeTerms(c, d, col))})",
            CheckRule.Completeness => $"SELECT * FROM {t} WHERE {Blank(d, col)}",
            CheckRule.Freshness => Freshness(c, d, t, col, now),
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Rule, "not a row-level rule"),
        };
    }

    public static string Count(string badRows) => $"SELECT COUNT(*) FROM ({badRows}) bad_rows";

    public static string Sample(string badRows, int limit) => $"SELECT * FROM ({badRows}) bad_rows LIMIT {limit}";

    /// <summary>completeness: rows, and rows with a non-blank value.</summary>
    public static string Filled(CheckSpec c, ISqlDialect d) =>
        $"SELECT COUNT(*), COUNT(NULLIF(trim({d.AsText(d.Quote(c.Column))}), '')) FROM {d.Table(c.Database, c.Table)}";

    public static string RowCount(string database, string table, ISqlDialect d) => $"SELECT COUNT(*) FROM {d.Table(database, table)}";

    /// <summary>schema: values whose engine type is not of the declared family (typeof() gives Presto's type names, also on Local).</summary>
    public static string WrongType(CheckSpec c, ISqlDialect d, string column, string family)
    {
        var col = d.Quote(column);
        var type = $"lower(typeof({col}))";
        var names = family switch
        {
            "integer" => ["integer", "bigint", "int", "smallint", "tinyint"],
            "number" => new[] { "integer", "bigint", "int", "smallint", "tinyint", "real", "double", "float" },
            _ => ["text", "varchar", "string", "char"],
        };
        var accepted = $"{type} IN ({string.Join(", ", names.Select(d.Literal))})" +
            family switch { "number" => $" OR {type} LIKE 'decimal%'", "string" => $" OR {type} LIKE 'varchar%'", _ => "" };
        return $"SELECT {d.AsText(col)} AS {d.Quote("value")}, {type} AS {d.Quote("type")} FROM {d.Table(c.Database, c.Table)} WHERE {col} IS NOT NULL AND NOT ({accepted})";
    }

    static IEnumerable<string> RangeTerms(CheckSpec c, ISqlDialect d, string col)
    {
        var number = AsNumber(d, col);
        if (d.Name == "presto") yield return $"{number} IS NULL";
        if (c.Min is { } min) yield return $"{number} < {Literal(min)}";
        if (c.Max is { } max) yield return $"{number} > {Literal(max)}";
    }

    /// <summary>Presto's TRY_CAST gives NULL for text that is not a number, so such values count as out of range.</summary>
    static string AsNumber(ISqlDialect d, string expression) => d.Name switch
    {
        "presto" => $"TRY_CAST({expression} AS DOUBLE)",
        _ => $"CAST({expression} AS DOUBLE)",
    };

    static string Blank(ISqlDialect d, string col) => $"NULLIF(trim({d.AsText(col)}), '') IS NULL";

    /// <summary>
    /// Values that are no timestamp, lie in the future, and (with MaxAge) one row when the newest value is
    /// older than allowed; every branch yields (value, problem) as text so the union types agree.
    /// </summary>
    static string Freshness(CheckSpec c, ISqlDialect d, string t, string col, DateTimeOffset now)
    {
        var parsed = $"TD_TIME_PARSE({d.AsText(col)})";
        var value = d.Quote("value");
        var problem = d.Quote("problem");
        var future = (now + FutureTolerance).ToUnixTimeSeconds();
        var parts = new List<string>
        {
            $"SELECT {d.AsText(col)} AS {value}, 'not a timestamp' AS {problem} FROM {t} WHERE NULLIF(trim({d.AsText(col)}), '') IS NOT NULL AND {parsed} IS NULL",
            $"SELECT {d.AsText(col)} AS {value}, 'in the future' AS {problem} FROM {t} WHERE {parsed} > {future}",
        };
        if (c.MaxAge is { } age)
        {
            var cutoff = (now - age).ToUnixTimeSeconds();
            parts.Add($"SELECT COALESCE(TD_TIME_FORMAT(latest, 'yyyy-MM-dd HH:mm:ss', 'UTC'), 'no value') AS {value}, 'newest value older than {Age(age)}' AS {problem} " +
                      $"FROM (SELECT MAX({parsed}) AS latest FROM {t}) newest WHERE latest IS NULL OR latest < {cutoff}");
        }
        return string.Join(" UNION ALL ", parts);
    }

    public static string Age(TimeSpan age) =>
        age.TotalDays >= 1 && age.TotalDays == Math.Floor(age.TotalDays) ? $"{age.TotalDays:0}d"
        : age.TotalHours >= 1 && age.TotalHours == Math.Floor(age.TotalHours) ? $"{age.TotalHours:0}h"
        : $"{age.TotalMinutes:0.#}m";

    static string Literal(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

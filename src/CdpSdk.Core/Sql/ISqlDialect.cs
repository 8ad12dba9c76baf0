using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Sql;

/// <summary>
/// What differs between the SQL engines the generator writes for. Every identifier already passed
/// NameRules when the project was read; <see cref="Identifier.Check"/> checks it again here, where SQL is
/// written, and it is still quoted so a name that happens to be a keyword (time, order) cannot break a query.
/// </summary>
public interface ISqlDialect
{
    string Name { get; }

    /// <summary>The string type used in casts, so string functions never see numbers.</summary>
    string TextType { get; }

    /// <summary>A checked identifier in the engine's quotes.</summary>
    string Quote(string identifier);

    string Table(string database, string table) => $"{Quote(database)}.{Quote(table)}";

    string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    string AsText(string expression) => $"CAST({expression} AS {TextType})";

    /// <summary>lower(trim(x)); an empty result is NULL so blank keys never join people together.</summary>
    string CleanEmail(string expression) => $"NULLIF(lower(trim({AsText(expression)})), '')";

    /// <summary>Digits only, so "(555) 123-4567" and "555.123.4567" compare equal.</summary>
    string DigitsOnly(string expression) => $"NULLIF(regexp_replace({AsText(expression)}, '[^0-9]', ''), '')";

    /// <summary>
    /// ISO 8601 UTC text via TD's own UDFs, which Presto and Hive on TD provide and the Local engine's Presto layer
    /// installs, so one expression works on every target. Unparseable text gives NULL.
    /// </summary>
    string Iso8601(string expression) =>
        $"TD_TIME_FORMAT(TD_TIME_PARSE({AsText(expression)}), 'yyyy-MM-dd''T''HH:mm:ss''Z''', 'UTC')";
}

/// <summary>The one rule for names the generator puts into SQL: letters, digits and underscore.</summary>
public static partial class Identifier
{
    [GeneratedRegex("^[A-Za-z0-9_]{1,256}$")]
    private static partial Regex Pattern();

    /// <summary>
    /// Returns <paramref name="name"/> when it is a plain identifier; anything else (quotes, dots, spaces,
    /// semicolons) is refused rather than escaped, so no configured name can change a query's meaning.
    /// </summary>
    public static string Check(string name) => Pattern().IsMatch(name) ? name
        : throw new CdpException("CDP1010", $"'{name}' cannot be used as a SQL identifier: names in generated SQL may only hold letters, digits and underscore (at most 256).");
}

public sealed class PrestoDialect : ISqlDialect
{
    public string Name => "presto";
    public string TextType => "VARCHAR";
    public string Quote(string identifier) => "\"" + Identifier.Check(identifier) + "\"";
}

public sealed class HiveDialect : ISqlDialect
{
    public string Name => "hive";
    public string TextType => "STRING";
    public string Quote(string identifier) => "`" + Identifier.Check(identifier) + "`";
}

public static class SqlDialects
{
    public static readonly ISqlDialect Presto = new PrestoDialect();
    public static readonly ISqlDialect Hive = new HiveDialect();

    /// <summary>
    /// The dialect of the queries CdpSdk issues itself (the checks, a CdpCheck's Sql file, the report's figures): Presto
    /// on both targets. The TreasureData target runs them as Presto query jobs whatever CdpSqlEngine says (every TD
    /// account has Presto; the engine setting is the workflows'), and Local runs Presto, so they need no Hive text.
    /// </summary>
    public static readonly ISqlDialect Queries = Presto;

    /// <summary>
    /// The engine TD runs the queries on; the Local target runs the Presto rendering (on DuckDB, through its
    /// Presto layer), so every generated query is executed before it reaches TD.
    /// </summary>
    public static ISqlDialect For(GlobalSettings settings) =>
        settings.Target == TargetKind.TreasureData && settings.Engine == SqlEngine.Hive ? Hive : Presto;
}

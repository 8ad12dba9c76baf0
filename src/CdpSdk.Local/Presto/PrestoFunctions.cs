using System.Globalization;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Presto;

/// <summary>
/// What a DuckDB connection needs to run TD's Presto: TD's UDFs, the Presto functions DuckDB lacks (macros
/// under their Presto names) and the presto_* macros the rewriter sends calls to where DuckDB's namesake
/// differs. Everything is TEMP, so a warehouse file stays plain DuckDB for any other client.
/// The C# functions carry the parts SQL cannot say (Java date patterns, TD's time text, time zones).
/// </summary>
internal static class PrestoFunctions
{
    /// <summary>Session settings that give DuckDB Presto's meaning: 7 / 2 = 3, TD's UTC sessions, NULLs last.</summary>
    static readonly string[] Settings =
    [
        "SET integer_division = true",
        "SET TimeZone = 'UTC'",
        "SET default_null_order = 'nulls_last'",
    ];

    static readonly string[] Macros =
    [
        // TD's UDFs (https://docs.treasuredata.com, "Supported Presto and TD Functions").
        "TD_TIME_PARSE(s) AS cdp_td_time_parse(CAST(s AS VARCHAR), 'UTC'), (s, tz) AS cdp_td_time_parse(CAST(s AS VARCHAR), tz)",
        "TD_TIME_FORMAT(t, f) AS cdp_td_time_format(CAST(t AS BIGINT), f, 'UTC'), (t, f, tz) AS cdp_td_time_format(CAST(t AS BIGINT), f, tz)",
        "TD_TIME_RANGE(t, s) AS CASE WHEN t IS NULL THEN NULL ELSE (s IS NULL OR CAST(t AS BIGINT) >= cdp_td_time_bound(CAST(s AS VARCHAR), 'UTC')) END, " +
        "(t, s, e) AS CASE WHEN t IS NULL THEN NULL ELSE (s IS NULL OR CAST(t AS BIGINT) >= cdp_td_time_bound(CAST(s AS VARCHAR), 'UTC')) AND (e IS NULL OR CAST(t AS BIGINT) < cdp_td_time_bound(CAST(e AS VARCHAR), 'UTC')) END, " +
        "(t, s, e, tz) AS CASE WHEN t IS NULL THEN NULL ELSE (s IS NULL OR CAST(t AS BIGINT) >= cdp_td_time_bound(CAST(s AS VARCHAR), tz)) AND (e IS NULL OR CAST(t AS BIGINT) < cdp_td_time_bound(CAST(e AS VARCHAR), tz)) END",
        "TD_TIME_ADD(t, d) AS cdp_td_time_add(CAST(t AS BIGINT), d), (t, d, tz) AS cdp_td_time_add(CAST(t AS BIGINT), d)",
        "TD_DATE_TRUNC(u, t) AS cdp_td_date_trunc(u, CAST(t AS BIGINT), 'UTC'), (u, t, tz) AS cdp_td_date_trunc(u, CAST(t AS BIGINT), tz)",
        "TD_INTERVAL(t, i) AS cdp_td_interval(CAST(t AS BIGINT), i, 'UTC', TD_SCHEDULED_TIME()), (t, i, tz) AS cdp_td_interval(CAST(t AS BIGINT), i, tz, TD_SCHEDULED_TIME())",

        // Presto functions where DuckDB's namesake differs (the rewriter renames the calls).
        @"presto_regexp_replace(s, p) AS regexp_replace(s, p, '', 'g'), " +
        @"(s, p, r) AS regexp_replace(s, p, regexp_replace(regexp_replace(r, '\\', '\\\\', 'g'), '\$(\d)', '\\\1', 'g'), 'g')",
        "presto_regexp_extract(s, p) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END, " +
        "(s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END",
        "presto_element_at(c, k) AS c[k]",
        "presto_cardinality(x MAP(VARCHAR, VARCHAR)) AS cardinality(x), (x) AS len(x)",
        "presto_date_add(u, n, t DATE) AS CAST(t + " + Interval("n", date: true) + " AS DATE), " +
        "(u, n, t TIMESTAMP) AS t + " + Interval("n", date: false) + ", (u, n, t TIMESTAMPTZ) AS t + " + Interval("n", date: false),
        "presto_date_diff(u, a, b) AS date_sub(u, a, b)",
        "presto_date_trunc(u, d DATE) AS CAST(date_trunc(u, d) AS DATE), (u, t TIMESTAMP) AS date_trunc(u, t), (u, t TIMESTAMPTZ) AS date_trunc(u, t)",
        "presto_array_position(a, x) AS coalesce(list_position(a, x), 0)",
        "presto_typeof(x) AS cdp_presto_type(typeof(x))",
        "presto_array_distinct(a) AS list_filter(a, (x, i) -> list_position(a, x) = i)",

        // Presto functions DuckDB lacks, under their Presto names.
        "regexp_like(s, p) AS regexp_matches(s, p)",
        "regexp_split(s, p) AS regexp_split_to_array(s, p)",
        "from_unixtime(x) AS make_timestamp(CAST(round(CAST(x AS DOUBLE) * 1000) AS BIGINT) * 1000)",
        "to_unixtime(t) AS epoch(t)",
        "from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
        "from_iso8601_date(s) AS CAST(s AS DATE)",
        "json_extract_scalar(j, p) AS CASE WHEN json_type(json_extract(j, p)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END",
        "json_array_get(j, i) AS json_extract(j, '$[' || CAST(i AS VARCHAR) || ']')",
        "json_parse(s) AS json(s)",
        "json_format(j) AS CAST(j AS VARCHAR)",
        "array_join(a, s) AS array_to_string(a, s), (a, s, n) AS array_to_string(list_transform(a, x -> coalesce(CAST(x AS VARCHAR), n)), s)",
        "array_max(a) AS list_max(a)",
        "array_min(a) AS list_min(a)",
        "slice(a, s, n) AS list_slice(a, s, s + n - 1)",
        "approx_distinct(x) AS approx_count_distinct(x)",
        "approx_percentile(x, p) AS approx_quantile(x, p)",
        "arbitrary(x) AS any_value(x)",
        "every(x) AS bool_and(x)",
        "day_of_week(d) AS isodow(d)",
        "dow(d) AS isodow(d)",
        "day_of_month(d) AS day(d)",
        "day_of_year(d) AS dayofyear(d)",
        "doy(d) AS dayofyear(d)",
        "week_of_year(d) AS week(d)",
        "year_of_week(d) AS isoyear(d)",
        "yow(d) AS isoyear(d)",
        "codepoint(s) AS unicode(s)",
        "index(s, sub) AS strpos(s, sub)",
        "levenshtein_distance(a, b) AS levenshtein(a, b)",
        "hamming_distance(a, b) AS hamming(a, b)",
        "nan() AS CAST('NaN' AS DOUBLE)",
        "infinity() AS CAST('Infinity' AS DOUBLE)",
        "is_nan(x) AS isnan(x)",
        "is_finite(x) AS isfinite(x)",
        "is_infinite(x) AS isinf(x)",
        "current_timezone() AS current_setting('TimeZone')",
        "format_datetime(t, f) AS cdp_td_time_format(CAST(floor(epoch(t)) AS BIGINT), f, 'UTC')",
    ];

    /// <summary>Presto's date_add units as a DuckDB interval; a unit Presto refuses for the type is an error, not a guess.</summary>
    static string Interval(string n, bool date)
    {
        var units = date
            ? "WHEN 'day' THEN to_days(CAST(" + n + " AS INTEGER)) WHEN 'week' THEN to_weeks(CAST(" + n + " AS INTEGER)) "
            : "WHEN 'millisecond' THEN to_milliseconds(" + n + ") WHEN 'second' THEN to_seconds(" + n + ") WHEN 'minute' THEN to_minutes(" + n + ") " +
              "WHEN 'hour' THEN to_hours(" + n + ") WHEN 'day' THEN to_days(CAST(" + n + " AS INTEGER)) WHEN 'week' THEN to_weeks(CAST(" + n + " AS INTEGER)) ";
        return "CASE lower(u) " + units +
               "WHEN 'month' THEN to_months(CAST(" + n + " AS INTEGER)) WHEN 'quarter' THEN to_months(CAST(3 * " + n + " AS INTEGER)) WHEN 'year' THEN to_years(CAST(" + n + " AS INTEGER)) " +
               "ELSE error('" + PrestoErrors.UnsupportedFunction + ": date_add: the unit ''' || u || ''' is not one Presto takes for this type') END";
    }

    /// <summary>Everything on a connection of its own database instance (an in-memory engine).</summary>
    public static void Install(DuckDBConnection connection, long scheduledTime)
    {
        RegisterTdFunctions(connection);
        InstallSession(connection, scheduledTime);
    }

    /// <summary>
    /// The C# scalar functions, once per database instance, on the connection that keeps the instance alive:
    /// DuckDB.NET holds their delegates on the registering connection, so it must outlive every caller.
    /// </summary>
    public static void InstallShared(DuckDBConnection connection) => RegisterTdFunctions(connection);

    /// <summary>What each connection needs of its own: Presto's settings and the TEMP macros (with its scheduled time).</summary>
    public static void InstallSession(DuckDBConnection connection, long scheduledTime)
    {
        Renew(connection, scheduledTime);
        InstallMacros(connection);
    }

    /// <summary>The TEMP macros alone: most of <see cref="InstallSession"/>'s cost, and unchanged by the queries a connection runs.</summary>
    public static void InstallMacros(DuckDBConnection connection)
    {
        using var command = connection.CreateCommand();
        foreach (var macro in Macros)
        {
            command.CommandText = "CREATE OR REPLACE TEMP MACRO " + macro;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Presto's settings (again: a query may have changed one) and TD_SCHEDULED_TIME for the session at <paramref name="scheduledTime"/>.</summary>
    public static void Renew(DuckDBConnection connection, long scheduledTime)
    {
        using var command = connection.CreateCommand();
        foreach (var setting in Settings)
        {
            command.CommandText = setting;
            command.ExecuteNonQuery();
        }
        command.CommandText = $"CREATE OR REPLACE TEMP MACRO TD_SCHEDULED_TIME() AS CAST({scheduledTime.ToString(CultureInfo.InvariantCulture)} AS BIGINT)";
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// C# scalar functions live in the database instance's catalog, which every connection of the process to the
    /// same file shares (DuckDB.NET keeps one instance per file), so they take everything per-session
    /// (the scheduled time) as arguments; the TEMP macros, which are per connection, pass it.
    /// </summary>
    static void RegisterTdFunctions(DuckDBConnection connection)
    {
        connection.RegisterScalarFunction<string, string, long?>("cdp_td_time_parse", (text, zone) => TdTimeFunctions.Parse(text, TdZones.Id(zone)));
        connection.RegisterScalarFunction<long, string, string, string?>("cdp_td_time_format", Format);
        connection.RegisterScalarFunction<string, string, long?>("cdp_td_time_bound", Bound);
        connection.RegisterScalarFunction<long, string, long?>("cdp_td_time_add", (time, duration) => TdTimeFunctions.Add(time, duration));
        connection.RegisterScalarFunction<string, long, string, long?>("cdp_td_date_trunc", (unit, time, zone) => TdTimeFunctions.Trunc(unit, time, TdZones.Id(zone)));
        connection.RegisterScalarFunction<string, string>("cdp_presto_type", PrestoTypes.Name);
        connection.RegisterScalarFunction<long, string, string, long, bool?>("cdp_td_interval", (time, interval, zone, scheduled) => TdTimeFunctions.Interval(time, interval, scheduled, TdZones.Id(zone)));
    }

    static string? Format(long unixTime, string pattern, string zone)
    {
        var time = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unixTime), TdZones.Find(zone));
        return JavaDateFormat.Format(time, pattern);
    }

    /// <summary>A TD_TIME_RANGE bound: unix seconds as text, or time text in the zone; text TD would not read is an error, never an open bound.</summary>
    static long? Bound(string text, string zone)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)) return seconds;
        return TdTimeFunctions.Parse(text, TdZones.Id(zone))
               ?? throw new FormatException($"{PrestoErrors.UnsupportedFormat}: TD_TIME_RANGE: the bound '{text}' is not a time the Local engine reads (yyyy-MM-dd[ HH:mm:ss] or unix seconds).");
    }
}

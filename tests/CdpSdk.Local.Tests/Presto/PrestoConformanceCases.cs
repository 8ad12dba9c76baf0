namespace CdpSdk.Local.Tests.Presto;

/// <summary>
/// Presto expressions with the results Presto's documentation gives (the page is named per case), and TD's
/// UDFs with the results TD's documentation gives. Values are written as Presto's CLI shows them
/// (see <see cref="PrestoDisplay"/>). A case is a full query when it starts with SELECT, else an expression.
/// </summary>
static class PrestoConformanceCases
{
    const string Regexp = "https://prestodb.io/docs/current/functions/regexp.html";
    const string Str = "https://prestodb.io/docs/current/functions/string.html";
    const string Math = "https://prestodb.io/docs/current/functions/math.html";
    const string Conv = "https://prestodb.io/docs/current/functions/conversion.html";
    const string Cond = "https://prestodb.io/docs/current/functions/conditional.html";
    const string Arr = "https://prestodb.io/docs/current/functions/array.html";
    const string Map = "https://prestodb.io/docs/current/functions/map.html";
    const string Lambda = "https://prestodb.io/docs/current/functions/lambda.html";
    const string Json = "https://prestodb.io/docs/current/functions/json.html";
    const string Date = "https://prestodb.io/docs/current/functions/datetime.html";
    const string Agg = "https://prestodb.io/docs/current/functions/aggregate.html";
    const string Sel = "https://prestodb.io/docs/current/sql/select.html";
    const string Td = "https://docs.treasuredata.com/ (Supported Presto and TD Functions: TD_TIME_PARSE, TD_TIME_FORMAT, TD_TIME_RANGE, TD_TIME_ADD, TD_DATE_TRUNC, TD_INTERVAL, TD_SCHEDULED_TIME)";
    const string Issue13 = "issue 13 (Presto replaces every match; DuckDB only the first)";

    /// <summary>TD_SCHEDULED_TIME of the engine the cases run on: 2015-01-01 00:00:00 UTC.</summary>
    public const long ScheduledTime = 1420070400;

    public static readonly (string Presto, string Expected, string Doc)[] Results =
    [
        // Regular expressions (Presto's are Java's, every match replaced).
        ("regexp_replace('555.018.5453', '[^0-9]', '')", "5550185453", Issue13),
        ("regexp_replace('1a 2b 14m', '\\d+[ab] ')", "14m", Regexp),
        ("regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')", "3ca 3cb 14m", Regexp),
        ("regexp_extract('1a 2b 14m', '\\d+')", "1", Regexp),
        ("regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)", "a", Regexp),
        ("regexp_extract('abc', '\\d+')", "NULL", Regexp),
        ("regexp_like('1a 2b 14m', '\\d+b')", "true", Regexp),
        ("regexp_extract_all('1a 2b 14m', '\\d+')", "[1, 2, 14]", Regexp),
        ("regexp_split('1a 2b 14m', '\\s*[a-z]+\\s*')", "[1, 2, 14, ]", Regexp),

        // Strings.
        ("'a' || NULL", "NULL", Str),
        ("concat('a', NULL)", "NULL", Str),
        ("concat('a', 'b', 'c')", "abc", Str),
        ("length('hello')", "5", Str),
        ("substr('hello', 2, 3)", "ell", Str),
        ("substr('hello', -3)", "llo", Str),
        ("strpos('hello', 'l')", "3", Str),
        ("strpos('hello', 'z')", "0", Str),
        ("split('a,b,c', ',')", "[a, b, c]", Str),
        ("split_part('a,b,c', ',', 2)", "b", Str),
        ("lpad('7', 3, '0')", "007", Str),
        ("lower('ABC')", "abc", Str),
        ("trim('  a  ')", "a", Str),
        ("replace('aaa', 'a', 'b')", "bbb", Str),
        ("reverse('abc')", "cba", Str),
        ("levenshtein_distance('kitten', 'sitting')", "3", Str),
        ("codepoint('A')", "65", Str),
        ("chr(65)", "A", Str),

        // Arithmetic: integer division truncates, as in Java.
        ("7 / 2", "3", Math),
        ("-7 / 2", "-3", Math),
        ("7.0 / 2", "3.5", Math),
        ("-7 % 3", "-1", Math),
        ("mod(-7, 3)", "-1", Math),
        ("round(DOUBLE '2.5')", "3.0", Math),
        ("round(DOUBLE '-2.5')", "-3.0", Math),
        ("floor(DOUBLE '-1.5')", "-2.0", Math),
        ("power(2, 10)", "1024.0", Math),
        ("sqrt(16)", "4.0", Math),
        ("greatest(1, 5, 3)", "5", Math),

        // Conversion and conditionals.
        ("CAST(2.5 AS INTEGER)", "3", Conv),
        ("CAST(-2.5 AS INTEGER)", "-3", Conv),
        ("CAST('42' AS BIGINT)", "42", Conv),
        ("try_cast('abc' AS INTEGER)", "NULL", Conv),
        ("TRY(CAST('x' AS INTEGER))", "NULL", Conv),
        ("coalesce(NULL, 'b')", "b", Cond),
        ("nullif('a', 'a')", "NULL", Cond),
        ("if(1 > 2, 'x', 'y')", "y", Cond),
        ("CASE WHEN NULL THEN 1 ELSE 2 END", "2", Cond),

        // Arrays are 1-based; element_at is NULL out of range and counts from the end when negative.
        ("element_at(ARRAY[1, 2, 3], 1)", "1", Arr),
        ("element_at(ARRAY[1, 2, 3], -1)", "3", Arr),
        ("element_at(ARRAY[1, 2, 3], 5)", "NULL", Arr),
        ("ARRAY[10, 20, 30][2]", "20", Arr),
        ("cardinality(ARRAY[1, 2, 3])", "3", Arr),
        ("array_join(ARRAY[1, NULL, 3], ',')", "1,3", Arr),
        ("array_join(ARRAY[1, NULL, 3], ',', 'x')", "1,x,3", Arr),
        ("contains(ARRAY[1, 2], 2)", "true", Arr),
        ("array_position(ARRAY[5, 6], 6)", "2", Arr),
        ("array_position(ARRAY[5, 6], 7)", "0", Arr),
        ("array_distinct(ARRAY[3, 1, 3, 2])", "[3, 1, 2]", Arr),
        ("array_max(ARRAY[1, 5, 3])", "5", Arr),
        ("array_sort(ARRAY[3, 1, 2])", "[1, 2, 3]", Arr),
        ("sequence(1, 5)", "[1, 2, 3, 4, 5]", Arr),
        ("sequence(1, 10, 3)", "[1, 4, 7, 10]", Arr),
        ("slice(ARRAY[1, 2, 3, 4], 2, 2)", "[2, 3]", Arr),
        ("transform(ARRAY[1, 2], x -> x * 10)", "[10, 20]", Lambda),
        ("filter(ARRAY[5, -6, NULL, 7], x -> x > 0)", "[5, 7]", Lambda),

        // Maps.
        ("cardinality(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", "2", Map),
        ("element_at(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), 'b')", "2", Map),
        ("element_at(MAP(ARRAY['a'], ARRAY[1]), 'z')", "NULL", Map),
        ("map_keys(MAP(ARRAY['a', 'b'], ARRAY[1, 2]))", "[a, b]", Map),

        // JSON.
        ("json_extract_scalar('{\"a\": {\"b\": 1}}', '$.a.b')", "1", Json),
        ("json_extract_scalar('{\"a\": {\"b\": 1}}', '$.a')", "NULL", Json),
        ("json_extract_scalar('{\"a\": \"x\"}', '$.a')", "x", Json),
        ("json_format(json_extract('{\"a\": {\"b\": 1}}', '$.a'))", "{\"b\":1}", Json),
        ("json_array_length('[1, 2, 3]')", "3", Json),
        ("json_format(json_array_get('[\"a\", \"b\"]', 1))", "\"b\"", Json),

        // Dates and times: MySQL-style formats, whole units between values, DATE stays DATE.
        ("date_parse('2022-08-24 13:05:09', '%Y-%m-%d %H:%i:%s')", "2022-08-24 13:05:09.000", Date),
        ("date_parse('24/08/2022', '%d/%m/%Y')", "2022-08-24 00:00:00.000", Date),
        ("date_format(TIMESTAMP '2022-08-24 13:05:09', '%Y/%m/%d %H:%i')", "2022/08/24 13:05", Date),
        ("date_format(TIMESTAMP '2022-08-04 03:05:09', '%e %c %k %M %W')", "4 8 3 August Thursday", Date),
        ("date_format(TIMESTAMP '2022-08-04 15:05:09', '%T %r')", "15:05:09 03:05:09 PM", Date),
        ("from_unixtime(0)", "1970-01-01 00:00:00.000", Date),
        ("from_unixtime(1700000000)", "2023-11-14 22:13:20.000", Date),
        ("to_unixtime(TIMESTAMP '2020-01-01 00:00:00')", "1.5778368E9", Date),
        ("date_add('day', 1, DATE '2020-01-31')", "2020-02-01", Date),
        ("date_add('month', 1, DATE '2020-01-31')", "2020-02-29", Date),
        ("date_add('hour', 2, TIMESTAMP '2020-01-01 23:00:00')", "2020-01-02 01:00:00.000", Date),
        ("date_diff('day', DATE '2020-01-01', DATE '2020-03-01')", "60", Date),
        ("date_diff('hour', TIMESTAMP '2020-01-01 00:30:00', TIMESTAMP '2020-01-01 01:10:00')", "0", Date),
        ("date_diff('month', TIMESTAMP '2020-01-15 00:00:00', TIMESTAMP '2020-02-14 00:00:00')", "0", Date),
        ("date_trunc('month', DATE '2020-05-17')", "2020-05-01", Date),
        ("date_trunc('hour', TIMESTAMP '2020-05-17 10:42:00')", "2020-05-17 10:00:00.000", Date),
        ("TIMESTAMP '2012-10-31 01:00' + INTERVAL '1' MONTH", "2012-11-30 01:00:00.000", Date),
        ("year(DATE '2020-05-17')", "2020", Date),
        ("day_of_week(DATE '2020-01-05')", "7", Date),
        ("day_of_year(DATE '2020-02-01')", "32", Date),
        ("EXTRACT(MONTH FROM DATE '2020-05-17')", "5", Date),
        ("current_timezone()", "UTC", Date),

        // Aggregates, ordering.
        ("SELECT count_if(x > 1) FROM (VALUES 1, 2, 3) t(x)", "2", Agg),
        ("SELECT max_by(name, v) FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) t(name, v)", "b", Agg),
        ("SELECT min_by(name, v) FROM (VALUES ('a', 1), ('b', 3), ('c', 2)) t(name, v)", "a", Agg),
        ("SELECT approx_distinct(x) FROM (VALUES 1, 1, 2) t(x)", "2", Agg),
        ("SELECT arbitrary(x) FROM (VALUES 7) t(x)", "7", Agg),
        ("SELECT every(x) FROM (VALUES true, false) t(x)", "false", Agg),
        ("SELECT array_agg(x ORDER BY x) FROM (VALUES 3, 1, 2) t(x)", "[1, 2, 3]", Agg),
        ("SELECT sum(x) / count(x) FROM (VALUES 1, 2) t(x)", "1", Math),
        ("typeof(1)", "integer", Conv),
        ("typeof(CAST(1 AS BIGINT))", "bigint", Conv),
        ("SELECT x FROM (VALUES 1, NULL, 2) t(x) ORDER BY x DESC LIMIT 1", "2", Sel),

        // TD's UDFs: unix seconds, Java date patterns, zones.
        ("TD_TIME_PARSE('2015-01-01', 'JST')", "1420038000", Td),
        ("TD_TIME_PARSE('2015-01-01 15:25:26', 'JST')", "1420093526", Td),
        ("TD_TIME_FORMAT(1420093526, 'yyyy-MM-dd HH:mm:ss', 'JST')", "2015-01-01 15:25:26", Td),
        ("TD_TIME_FORMAT(1412382292, 'MMMM d yyyy EEEE', 'JST')", "October 4 2014 Saturday", Td),
        ("TD_TIME_FORMAT(0, 'yyyy-MM-dd''T''HH:mm:ss''Z''', 'UTC')", "1970-01-01T00:00:00Z", Td),
        ("TD_TIME_FORMAT(0, 'yyyy-MM-dd HH:mm:ss Z', 'JST')", "1970-01-01 09:00:00 +0900", Td),
        ("TD_TIME_FORMAT(CAST(NULL AS BIGINT), 'yyyy')", "NULL", Td),
        ("TD_TIME_RANGE(1420038000, '2015-01-01', '2015-01-02', 'JST')", "true", Td),
        ("TD_TIME_RANGE(1420037999, '2015-01-01', NULL, 'JST')", "false", Td),
        ("TD_TIME_ADD(TD_TIME_PARSE('2013-01-01 10:00:00'), '1d')", "1357120800", Td),
        ("TD_DATE_TRUNC('day', TD_TIME_PARSE('2015-01-01 15:25:26', 'JST'), 'JST')", "1420038000", Td),
        ("TD_DATE_TRUNC('month', 1420093526)", "1420070400", Td),
        ("TD_SCHEDULED_TIME()", "1420070400", Td),
        ("TD_INTERVAL(1420066800, '-1d')", "true", Td),
        ("TD_INTERVAL(1420070400, '-1d')", "false", Td),
    ];

    /// <summary>What the layer refuses with a code instead of answering otherwise than Presto.</summary>
    public static readonly (string Presto, string Code, string Why)[] Refused =
    [
        ("reduce(ARRAY[1, 2], 0, (s, x) -> s + x, s -> s)", "CDP3040", "lambdas with a state"),
        ("from_unixtime(0, 'Asia/Tokyo')", "CDP3040", "timestamp with time zone"),
        ("split('a,b,c', ',', 2)", "CDP3040", "split with a limit"),
        ("date_add('hour', 1, DATE '2020-01-01')", "CDP3040", "Presto refuses the unit for a DATE too"),
        ("date_parse('1st', '%D')", "CDP3041", "Presto does not support %D either"),
        ("date_format(TIMESTAMP '2020-01-01 00:00:00', concat('%', 'Y'))", "CDP3041", "a format that is not a literal"),
        ("TD_TIME_FORMAT(0, 'YYYY-ww')", "CDP3041", "week-based fields depend on the JVM's locale"),
        ("TD_TIME_FORMAT(0, 'yyyy', 'Mars/Olympus')", "CDP3041", "an unknown zone (the JVM reads it as GMT)"),
        ("TD_TIME_RANGE(0, 'not a date')", "CDP3041", "a bound TD cannot read"),
        ("no_such_function(1)", "CDP3042", "DuckDB has no such function"),
    ];

    /// <summary>
    /// Known differences the layer does not close yet (issue 13, next slice): each still differs, and the
    /// test fails once it agrees so the case moves to <see cref="Results"/>.
    /// </summary>
    public static readonly (string Presto, string PrestoResult, string Doc)[] Gaps =
    [
        ("DATE '2012-08-08' + INTERVAL '2' DAY", "2012-08-10", Date),
        ("CAST(DOUBLE '1e10' AS VARCHAR)", "1.0E10", Conv),
        // A varchar literal's type carries its length on Presto; a column's (what checks and the report ask) does not.
        ("typeof('abc')", "varchar(3)", Conv),
        ("CAST(TIMESTAMP '2020-01-01 00:00:00' AS VARCHAR)", "2020-01-01 00:00:00.000", Conv),
    ];
}

using System.Globalization;
using System.Text.RegularExpressions;
using CdpSdk.Local.Warehouse;
using DuckDB.NET.Data;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Writes records into a warehouse table inside the connection's transaction, streamed from the source through
/// DuckDB's appender (memory stays flat whatever the file size): replace drops the old table, append keeps it.
/// Records are staged as text while each column's values are classified (a CSV field by its text, kept as
/// written; a JSON value by its JSON type); the
/// table then gets BIGINT for a column of integers, DOUBLE for numbers, VARCHAR otherwise (leading zeros and
/// ids stay text), widened when a later file brings wider values; a Parquet file declares its types, which
/// decide instead and must match the table's. A CSV header or Parquet schema must match the table it appends
/// to (a renamed, added or dropped column is schema drift, not a NULL column); JSON records may add columns.
/// </summary>
internal static partial class TableLoader
{
    const string Staging = "_cdp_load";

    /// <summary>What a column's values are, widest so far: nothing yet, integers, numbers, text.</summary>
    enum Kind { None, Integer, Number, Text }

    /// <param name="declared">The types of <paramref name="knownColumns"/> as the file declares them (Parquet): they give the
    /// column types even when every value is NULL, and must match the table's types (a change is CDP3027, never a widening).</param>
    public static long Load(DuckDBConnection connection, string database, string table, string label, IReadOnlyList<string> knownColumns, IEnumerable<Record> records, bool replace,
        bool acceptNewColumns = false, IReadOnlyList<DeclaredType>? declared = null)
    {
        var existing = Existing(connection, database, table, label, knownColumns, replace, acceptNewColumns, declared is null ? "header" : "Parquet schema");
        if (existing.Count > 0 && declared is not null) CheckTypes(label, $"{database}.{table}", existing, knownColumns, declared);

        var columns = new List<string>(knownColumns);
        var kinds = new List<Kind>(knownColumns.Select((_, i) => declared is null ? Kind.None : KindOf(declared[i].Warehouse)));
        Sql.Execute(connection, $"DROP TABLE IF EXISTS temp.{Staging}");
        Sql.Execute(connection, $"CREATE TEMP TABLE {Staging} ({string.Join(", ", columns.Select(c => Sql.Quote(c) + " VARCHAR").DefaultIfEmpty("\"_cdp_row\" VARCHAR"))})");
        var placeholder = columns.Count == 0;

        long inserted = 0;
        string[]? layout = null;
        int[] slots = [];
        var row = new string?[columns.Count];
        DuckDBAppender? appender = null;
        try
        {
            foreach (var record in records)
            {
                if (!ReferenceEquals(record.Names, layout))
                {
                    layout = record.Names;
                    var added = layout.Where(n => !columns.Contains(n, StringComparer.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    if (added.Count > 0)
                    {
                        // The appender writes a fixed set of columns: flush it before the staging table widens.
                        appender?.Dispose();
                        appender = null;
                        foreach (var name in added)
                        {
                            Sql.Execute(connection, $"ALTER TABLE temp.{Staging} ADD COLUMN {Sql.Quote(name)} VARCHAR");
                            columns.Add(name);
                            kinds.Add(Kind.None);
                        }
                        row = new string?[columns.Count];
                    }
                    slots = layout.Select(n => columns.FindIndex(c => string.Equals(c, n, StringComparison.OrdinalIgnoreCase))).ToArray();
                }
                appender ??= connection.CreateAppender("temp", "main", Staging);
                Array.Clear(row);
                var values = record.Values;
                for (var i = 0; i < slots.Length && i < values.Length; i++)
                {
                    var slot = slots[i];
                    var (text, kind) = record.IsText ? (values[i] as string, KindOfText(values[i] as string)) : Text(values[i]);
                    row[slot] = text;
                    if (kind > kinds[slot]) kinds[slot] = kind;
                }
                var appended = appender.CreateRow();
                if (placeholder) appended.AppendNullValue();
                foreach (var value in row)
                    if (value is null) appended.AppendNullValue();
                    else appended.AppendValue(value);
                appended.EndRow();
                inserted++;
            }
        }
        finally
        {
            appender?.Dispose();
        }

        if (columns.Count > 0) Write(connection, database, table, existing, columns, kinds);
        Sql.Execute(connection, $"DROP TABLE temp.{Staging}");
        return inserted;
    }

    /// <summary>
    /// Like <see cref="Load"/>, for a file DuckDB's reader staged as text (<see cref="CsvStaging"/>): the
    /// incremental filter runs over the cursor column alone, the kinds are classified in SQL with the same
    /// rules as <see cref="KindOfText"/>, and the staged table is dropped.
    /// </summary>
    public static long LoadStaged(DuckDBConnection connection, string database, string table, string label, IReadOnlyList<string> header, string staged, IncrementalFilter? filter, bool replace, bool acceptNewColumns = false)
    {
        var existing = Existing(connection, database, table, label, header, replace, acceptNewColumns, "header");
        var source = "temp." + Sql.Quote(staged);
        try
        {
            if (filter is not null) SkipOld(connection, source, header.First(h => string.Equals(h, filter.Column, StringComparison.OrdinalIgnoreCase)), filter);
            var columns = new List<string>(header);
            return Write(connection, database, table, existing, columns, Kinds(connection, source, columns), source);
        }
        finally
        {
            Sql.Execute(connection, $"DROP TABLE IF EXISTS {source}");
        }
    }

    /// <summary>Deletes the staged rows the filter refuses, read in file order so the highest value found is the one the record reader would find.</summary>
    static void SkipOld(DuckDBConnection connection, string source, string column, IncrementalFilter filter)
    {
        if (SkipOldTimes(connection, source, column, filter)) return;
        const string Skipped = "_cdp_skipped";
        Sql.Execute(connection, $"CREATE OR REPLACE TEMP TABLE {Skipped} (rid BIGINT NOT NULL)");
        var (rowIds, values) = (new List<long>(), new List<string?>());
        using (var command = Sql.Command(connection, $"SELECT rowid, CAST({Sql.Quote(column)} AS VARCHAR) FROM {source} ORDER BY rowid"))
        using (var reader = command.ExecuteReader())
            while (reader.Read())
            {
                rowIds.Add(reader.GetInt64(0));
                values.Add(reader.IsDBNull(1) ? null : reader.GetString(1));
            }
        var accepted = filter.AcceptAll(values);
        var any = false;
        using (var skipped = connection.CreateAppender("temp", "main", Skipped))
            for (var i = 0; i < accepted.Length; i++)
                if (!accepted[i])
                {
                    skipped.CreateRow().AppendValue(rowIds[i]).EndRow();
                    any = true;
                }
        if (any) Sql.Execute(connection, $"DELETE FROM {source} WHERE rowid IN (SELECT rid FROM temp.{Skipped})");
        Sql.Execute(connection, $"DROP TABLE temp.{Skipped}");
    }

    // A cursor value DuckDB reads as the same time the filter's parser does: "2024-03-01 10:00:00", with a 'T'
    // and a 'Z' or not (without an offset the cursor is UTC), year 0001 and up, hours 00–23, no leap second.
    const string PlainTime = "[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z?";

    /// <summary>
    /// <see cref="SkipOld"/> in SQL, when every bound is a time and every cursor value is empty or a
    /// <see cref="PlainTime"/> (the usual export): the same rows kept, counts and highest value (the first in
    /// file order among equals) as parsing each value in C#, which is left the files with any other value.
    /// </summary>
    internal static bool SkipOldTimes(DuckDBConnection connection, string source, string column, IncrementalFilter filter)
    {
        if (filter.TimeBounds() is not var (start, watermark)) return false;
        var c = Sql.Quote(column);
        // NULL for an empty value and for any value that is not a plain time (counted apart, and then nothing is changed).
        var time = $"CASE WHEN regexp_full_match({c}, '{PlainTime}') AND {c} NOT LIKE '0000%' THEN epoch(TRY_CAST(left({c}, 19) AS TIMESTAMP))::BIGINT END";
        string Accepted(string t) => string.Join(" AND ", new[] { $"{t} IS NOT NULL", start is { } s ? $"{t} >= {s}" : null, watermark is { } w ? $"{t} > {w}" : null }.OfType<string>());
        var found = Sql.Read(connection, $"SELECT count(*) FILTER (WHERE v <> '' AND t IS NULL), count(*) FILTER (WHERE v IS NULL OR v = ''), " +
            $"count(*) FILTER (WHERE t IS NOT NULL AND NOT ok), first(v ORDER BY t DESC, rid) FILTER (WHERE ok) " +
            $"FROM (SELECT rid, v, t, {Accepted("t")} AS ok FROM (SELECT rowid AS rid, {c} AS v, {time} AS t FROM {source}))")[0];
        if (Convert.ToInt64(found[0], CultureInfo.InvariantCulture) > 0) return false;
        var (skippedOld, skippedWithoutValue) = (Convert.ToInt64(found[2], CultureInfo.InvariantCulture), Convert.ToInt64(found[1], CultureInfo.InvariantCulture));
        filter.Took(skippedOld, skippedWithoutValue, highest: found[3] as string);
        // The first load of a file that has a value everywhere skips nothing: no pass to delete nothing.
        if (skippedOld + skippedWithoutValue > 0) Sql.Execute(connection, $"DELETE FROM {source} WHERE NOT coalesce({Accepted($"({time})")}, false)");
        return true;
    }

    /// <summary>Rows of the first pass of <see cref="Kinds"/>: enough to find text in most text columns.</summary>
    const int KindProbeRows = 4096;

    /// <summary>
    /// Each staged column's kind, <see cref="KindOfText"/>'s patterns in SQL: first over a few rows, where most
    /// text columns show a text value and are settled (no later row can make a column narrower than text), then
    /// over every row for the columns still possibly numbers, so a file of text columns is not scanned whole.
    /// </summary>
    static List<Kind> Kinds(DuckDBConnection connection, string source, List<string> columns)
    {
        var kinds = KindsOf(connection, $"(SELECT * FROM {source} LIMIT {KindProbeRows})", columns);
        var open = Enumerable.Range(0, columns.Count).Where(i => kinds[i] < Kind.Text).ToList();
        if (open.Count == 0) return kinds;
        var scanned = KindsOf(connection, source, open.Select(i => columns[i]).ToList());
        for (var j = 0; j < open.Count; j++) kinds[open[j]] = scanned[j];
        return kinds;
    }

    static List<Kind> KindsOf(DuckDBConnection connection, string source, List<string> columns)
    {
        var kinds = columns.Select(c =>
        {
            var q = Sql.Quote(c);
            return $"coalesce(max(CASE WHEN {q} IS NULL OR {q} = '' THEN 0 WHEN regexp_full_match({q}, '-?(0|[1-9][0-9]{{0,17}})') THEN 1 " +
                   $"WHEN regexp_full_match({q}, '-?(0|[1-9][0-9]*)[.][0-9]+') THEN 2 ELSE 3 END), 0)";
        });
        var row = Sql.Read(connection, $"SELECT {string.Join(", ", kinds)} FROM {source}")[0];
        return row.Select(k => (Kind)Convert.ToInt32(k, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The table's columns before this load (none after a replace drops it), checked against the file's columns for drift.</summary>
    static List<(string Name, string Type)> Existing(DuckDBConnection connection, string database, string table, string label, IReadOnlyList<string> columns, bool replace, bool acceptNewColumns, string what)
    {
        if (replace) Sql.Execute(connection, $"DROP TABLE IF EXISTS {Sql.Table(database, table)}");
        var existing = Sql.ColumnTypes(connection, database, table);
        if (existing.Count > 0 && columns.Count > 0) CheckDrift(label, $"{database}.{table}", existing.Select(c => c.Name).ToList(), columns, acceptNewColumns, what);
        return existing;
    }

    /// <summary>The staged rows into the table, created or widened to fit their columns and kinds; returns how many.</summary>
    static long Write(DuckDBConnection connection, string database, string table, List<(string Name, string Type)> existing, List<string> columns, List<Kind> kinds, string source = "temp." + Staging)
    {
        var target = Sql.Table(database, table);
        var types = new List<string>();
        if (existing.Count == 0)
        {
            types.AddRange(kinds.Select(TypeOf));
            Sql.Execute(connection, $"CREATE TABLE {target} ({string.Join(", ", columns.Select((c, i) => Sql.Quote(c) + " " + types[i]))})");
        }
        else
            for (var i = 0; i < columns.Count; i++)
            {
                var found = existing.FindIndex(e => string.Equals(e.Name, columns[i], StringComparison.OrdinalIgnoreCase));
                if (found < 0)
                {
                    Sql.Execute(connection, $"ALTER TABLE {target} ADD COLUMN {Sql.Quote(columns[i])} {TypeOf(kinds[i])}");
                    types.Add(TypeOf(kinds[i]));
                    continue;
                }
                var (name, type) = existing[found];
                columns[i] = name;
                if (Rank(type) is { } rank && rank < kinds[i])
                {
                    type = TypeOf(kinds[i]);
                    Sql.Execute(connection, $"ALTER TABLE {target} ALTER COLUMN {Sql.Quote(name)} TYPE {type}");
                }
                types.Add(type);
            }
        var count = Convert.ToInt64(Sql.Scalar(connection, $"SELECT count(*) FROM {source}"));
        if (count == 0) return 0;
        var list = string.Join(", ", columns.Select(Sql.Quote));
        // An empty text is NULL, as the record reader reads it (DuckDB's reader already gives NULL for most).
        var casts = string.Join(", ", columns.Select((c, i) => $"CAST(NULLIF({Sql.Quote(c)}, '') AS {types[i]})"));
        // In the staged rows' order: DuckDB then fills whole row groups as it goes. Without it, the parallel insert
        // leaves part-filled ones that the checkpoint writes out and the next checkpoint merges again (0.8 s for 600k rows).
        Sql.Execute(connection, $"INSERT INTO {target} ({list}) SELECT {casts} FROM {source} ORDER BY rowid");
        return count;
    }

    static (string? Text, Kind Kind) Text(object? value) => value switch
    {
        null => (null, Kind.None),
        long l => (l.ToString(CultureInfo.InvariantCulture), Kind.Integer),
        double d => (d.ToString("R", CultureInfo.InvariantCulture), Kind.Number),
        string s => (s, Kind.Text),
        var other => (Convert.ToString(other, CultureInfo.InvariantCulture), Kind.Text),
    };

    /// <summary>
    /// A CSV field's kind, the way Embulk's guess types a column: integers and decimals are numbers, but text
    /// with leading zeros (zip codes, ids) stays text; an empty field is NULL. The text itself is kept as written.
    /// </summary>
    static Kind KindOfText(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Kind.None;
        // Most fields are text: only one starting like a number is worth the patterns.
        var c = text[0];
        if (c != '-' && !char.IsAsciiDigit(c)) return Kind.Text;
        return IntegerText().IsMatch(text) ? Kind.Integer : DecimalText().IsMatch(text) ? Kind.Number : Kind.Text;
    }

    // The same patterns as Kinds' SQL; \z, not $, which would also match before a final line break.
    [GeneratedRegex(@"^-?(0|[1-9][0-9]{0,17})\z")]
    private static partial Regex IntegerText();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)\.[0-9]+\z")]
    private static partial Regex DecimalText();

    static Kind KindOf(string warehouseType) => warehouseType switch { "BIGINT" => Kind.Integer, "DOUBLE" => Kind.Number, _ => Kind.Text };

    /// <summary>
    /// A file with declared types appends only to columns of the same kind: a column that was an integer and is now
    /// a string (or a double) in this file is an export that changed, and widening it would quietly turn the ids
    /// loaded before into text (or floats).
    /// </summary>
    static void CheckTypes(string label, string target, List<(string Name, string Type)> existing, IReadOnlyList<string> columns, IReadOnlyList<DeclaredType> declared)
    {
        var changed = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var found = existing.FindIndex(e => string.Equals(e.Name, columns[i], StringComparison.OrdinalIgnoreCase));
            if (found < 0 || Rank(existing[found].Type) is not { } rank || rank == KindOf(declared[i].Warehouse)) continue;
            var stored = declared[i].Warehouse == declared[i].InFile ? "" : $" (stored as {declared[i].Warehouse})";
            changed.Add($"'{columns[i]}' is {declared[i].InFile} in the file{stored} but {existing[found].Type} in {target}");
        }
        if (changed.Count == 0) return;
        throw DataFileError.At(LocalErrors.ParquetTypeChanged, label, 0, 0,
            $"a column's type differs from the files loaded before: {string.Join("; ", changed)}; write the column with the type the earlier files had, " +
            "or, if the change is meant, reload the table from scratch (see CDP3027 in docs/errors.md)");
    }

    static string TypeOf(Kind kind) => kind switch { Kind.Integer => "BIGINT", Kind.Number => "DOUBLE", _ => "VARCHAR" };

    /// <summary>Where an existing column's type stands among the loader's kinds; null for a type the loader leaves alone (DATE, TIMESTAMP …).</summary>
    static Kind? Rank(string type) => type.ToUpperInvariant() switch
    {
        "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" => Kind.Integer,
        "DOUBLE" or "FLOAT" or "REAL" => Kind.Number,
        var t when t.StartsWith("DECIMAL", StringComparison.Ordinal) => Kind.Number,
        "VARCHAR" => Kind.Text,
        _ => null,
    };

    /// <param name="what">What lists the file's columns: a CSV header, a Parquet schema.</param>
    static void CheckDrift(string label, string target, List<string> tableColumns, IReadOnlyList<string> header, bool acceptNewColumns, string what)
    {
        var added = header.Where(h => !tableColumns.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        var dropped = tableColumns.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        // AcceptNewColumns: an added column widens the table (older rows NULL); a dropped or renamed one still fails.
        if (dropped.Count == 0 && (added.Count == 0 || acceptNewColumns)) return;
        var change = string.Join("; ", new[]
        {
            added.Count > 0 ? $"new in the file: {string.Join(", ", added)}" : null,
            dropped.Count > 0 ? $"missing from the file: {string.Join(", ", dropped)}" : null,
        }.OfType<string>());
        throw DataFileError.At(LocalErrors.SchemaDrift, label, 1, 0,
            $"the {what} differs from the columns of {target}, loaded before ({change}); " +
            $"restore the {what} the earlier files had, or, if the change is meant, reload the table from scratch" +
            (dropped.Count == 0 ? ", or set AcceptNewColumns=\"true\" on the CdpObject to add the new columns" : "") + " (see CDP3019 in docs/errors.md)");
    }
}

using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Writes records into a warehouse table inside the caller's transaction, one prepared INSERT per row
/// streamed from the source (memory stays flat whatever the file size): replace drops the old table, append keeps
/// it; columns are untyped (SQLite keeps each value's own type). A CSV header must match the table it appends
/// to (a renamed, added or dropped column is schema drift, not a NULL column); JSON records may add columns.
/// </summary>
internal static class TableLoader
{
    public static long Load(SqliteConnection connection, SqliteTransaction tx, string database, string table, string label, IReadOnlyList<string> knownColumns, IEnumerable<Record> records, bool replace, bool acceptNewColumns = false)
    {
        var target = Sql.Table(database, table);
        if (replace) Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
        var columns = Sql.Columns(connection, database, table, tx);
        if (columns.Count > 0 && knownColumns.Count > 0) CheckDrift(label, $"{database}.{table}", columns, knownColumns, acceptNewColumns);
        if (columns.Count == 0 && knownColumns.Count > 0)
        {
            Sql.Execute(connection, $"CREATE TABLE {target} ({string.Join(", ", knownColumns.Select(Sql.Quote))})", tx);
            columns = [.. knownColumns];
        }

        long inserted = 0;
        string[]? layout = null;
        RawInsert? insert = null;
        try
        {
            foreach (var record in records)
            {
                if (!ReferenceEquals(record.Names, layout))
                {
                    insert?.Dispose();
                    Prepare(connection, tx, target, record.Names, ref columns);
                    layout = record.Names;
                    insert = new RawInsert(connection, target, layout);
                }
                insert!.Row(record.Values);
                inserted++;
            }
        }
        finally
        {
            insert?.Dispose();
        }
        return inserted;
    }

    static void CheckDrift(string label, string target, List<string> tableColumns, IReadOnlyList<string> header, bool acceptNewColumns)
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
            $"the header differs from the columns of {target}, loaded before ({change}); " +
            "restore the header the earlier files had, or, if the change is meant, reload the table from scratch" +
            (dropped.Count == 0 ? ", or set AcceptNewColumns=\"true\" on the CdpObject to add the new columns" : "") + " (see CDP3019 in docs/errors.md)");
    }


    /// <summary>The table made to fit a record layout (created, or widened by new columns) and its INSERT.</summary>
    static void Prepare(SqliteConnection connection, SqliteTransaction tx, string target, string[] names, ref List<string> columns)
    {
        if (columns.Count == 0)
        {
            Sql.Execute(connection, $"CREATE TABLE {target} ({string.Join(", ", names.Select(Sql.Quote))})", tx);
            columns = [.. names];
        }
        var known = columns;
        foreach (var added in names.Where(n => !known.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList())
        {
            Sql.Execute(connection, $"ALTER TABLE {target} ADD COLUMN {Sql.Quote(added)}", tx);
            known.Add(added);
        }
    }
}

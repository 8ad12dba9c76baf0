using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Writes records into a warehouse table inside the caller's transaction, one prepared INSERT per row
/// streamed from the source (memory stays flat whatever the file size): replace drops the old table, append keeps
/// it; columns are untyped (SQLite keeps each value's own type) and new columns are added as they appear.
/// </summary>
internal static class TableLoader
{
    public static long Load(SqliteConnection connection, SqliteTransaction tx, string database, string table, IReadOnlyList<string> knownColumns, IEnumerable<Record> records, bool replace)
    {
        var target = Sql.Table(database, table);
        if (replace) Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
        var columns = Sql.Columns(connection, database, table, tx);
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

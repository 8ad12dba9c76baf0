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

        var commands = new Dictionary<string, SqliteCommand>();
        long inserted = 0;
        try
        {
            foreach (var record in records)
            {
                var names = record.Fields.Select(f => f.Key).ToList();
                if (columns.Count == 0)
                {
                    Sql.Execute(connection, $"CREATE TABLE {target} ({string.Join(", ", names.Select(Sql.Quote))})", tx);
                    columns = [.. names];
                }
                foreach (var added in names.Where(n => !columns.Contains(n, StringComparer.OrdinalIgnoreCase)).ToList())
                {
                    Sql.Execute(connection, $"ALTER TABLE {target} ADD COLUMN {Sql.Quote(added)}", tx);
                    columns.Add(added);
                }
                var command = InsertCommand(connection, tx, target, names, commands);
                for (var i = 0; i < record.Fields.Count; i++) command.Parameters[i].Value = record.Fields[i].Value ?? DBNull.Value;
                command.ExecuteNonQuery();
                inserted++;
            }
        }
        finally
        {
            foreach (var c in commands.Values) c.Dispose();
        }
        return inserted;
    }

    /// <summary>One prepared INSERT per column layout; a CSV has one, JSON records may vary.</summary>
    static SqliteCommand InsertCommand(SqliteConnection connection, SqliteTransaction tx, string target, List<string> names, Dictionary<string, SqliteCommand> cache)
    {
        var key = string.Join('\0', names);
        if (cache.TryGetValue(key, out var command)) return command;
        command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"INSERT INTO {target} ({string.Join(", ", names.Select(Sql.Quote))}) VALUES ({string.Join(", ", names.Select((_, i) => "$p" + i))})";
        for (var i = 0; i < names.Count; i++) command.Parameters.Add(new SqliteParameter("$p" + i, DBNull.Value));
        cache[key] = command;
        return command;
    }
}

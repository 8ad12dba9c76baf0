namespace CdpSdk.Local.State;

/// <summary>The highest incremental-column value loaded per table, so a rerun only adds newer rows.</summary>
internal sealed class Watermarks(SystemDb db)
{
    public string? Get(string database, string table, string column)
    {
        using var connection = db.Open();
        return SystemDb.Scalar(connection, "SELECT value FROM watermarks WHERE database_name = $d AND table_name = $t AND column_name = $c",
            ("$d", database), ("$t", table), ("$c", column)) as string;
    }

    /// <summary>The watermark read on a task's connection, where the system database is attached.</summary>
    public static string? Get(Microsoft.Data.Sqlite.SqliteConnection connection, string database, string table, string column)
    {
        using var command = SystemDb.Command(connection, $"SELECT value FROM \"{SystemDb.Alias}\".watermarks WHERE database_name = $d AND table_name = $t AND column_name = $c",
            ("$d", database), ("$t", table), ("$c", column));
        return command.ExecuteScalar() as string;
    }

    /// <summary>Sets the watermark in the transaction that loads the rows it covers.</summary>
    public static void Set(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction tx, string database, string table, string column, string value)
    {
        using var command = SystemDb.Command(connection, $"INSERT OR REPLACE INTO \"{SystemDb.Alias}\".watermarks (database_name, table_name, column_name, value, updated_at) VALUES ($d, $t, $c, $v, $now)",
            ("$d", database), ("$t", table), ("$c", column), ("$v", value), ("$now", SystemDb.Now()));
        command.Transaction = tx;
        command.ExecuteNonQuery();
    }

    public void Set(string database, string table, string column, string value)
    {
        using var connection = db.Open();
        SystemDb.Execute(connection, "INSERT OR REPLACE INTO watermarks (database_name, table_name, column_name, value, updated_at) VALUES ($d, $t, $c, $v, $now)",
            ("$d", database), ("$t", table), ("$c", column), ("$v", value), ("$now", SystemDb.Now()));
    }
}

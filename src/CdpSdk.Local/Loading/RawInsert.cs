using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CdpSdk.Local.Loading;

/// <summary>
/// One prepared INSERT on the connection's own SQLite handle, bound by position: ADO.NET's per-row cost
/// (a parameter lookup by name per value and execute) is what kept loads well below the sqlite3 shell's
/// own CSV import. Runs inside the caller's transaction, since it is the same connection.
/// </summary>
internal sealed class RawInsert : IDisposable
{
    readonly sqlite3 _db;
    readonly sqlite3_stmt _statement;
    readonly int _columns;

    public RawInsert(SqliteConnection connection, string target, string[] names)
    {
        _db = connection.Handle!;
        _columns = names.Length;
        var sql = $"INSERT INTO {target} ({string.Join(", ", names.Select(Sql.Quote))}) VALUES ({string.Join(", ", names.Select(_ => "?"))})";
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Row(object?[] values)
    {
        for (var i = 0; i < _columns; i++)
        {
            var rc = (i < values.Length ? values[i] : null) switch
            {
                null => raw.sqlite3_bind_null(_statement, i + 1),
                long l => raw.sqlite3_bind_int64(_statement, i + 1, l),
                double d => raw.sqlite3_bind_double(_statement, i + 1, d),
                string s => raw.sqlite3_bind_text(_statement, i + 1, s),
                var other => raw.sqlite3_bind_text(_statement, i + 1, Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            };
            Check(rc);
        }
        var step = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (step != raw.SQLITE_DONE) Check(step);
    }

    void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW))
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc);
    }

    public void Dispose() => _statement?.Dispose();
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;
using Microsoft.Data.Sqlite;

namespace CdpSdk.Local.Unification;

/// <summary>What one unification run produced, per id.</summary>
internal sealed record UnificationResult(string Database, IReadOnlyList<(string IdName, int Ids, int Keys)> Ids, IReadOnlyList<string> Tables);

/// <summary>
/// The Local stand-in for TD's unification service: records sharing any valid key value get the same id,
/// transitively across tables (union-find). persistent_id takes its id from the earliest-seen key value —
/// seeded from the previous lookup unless full_refresh, so ids stay stable across runs; canonical_id from
/// the smallest (by key priority, then value). Writes &lt;id&gt;_lookup, enriched_&lt;table&gt; and &lt;id&gt;_result_key_stats.
/// </summary>
internal sealed class UnificationEngine(SqliteWarehouse warehouse)
{
    public UnificationResult Run(UnifyConfig config, bool fullRefresh, long time)
    {
        var database = config.Database;
        using var connection = warehouse.Open(database);
        try
        {
            var summary = new List<(string, int, int)>();
            foreach (var id in config.Ids)
                summary.Add(BuildLookup(connection, config, id, fullRefresh));
            var enriched = config.Tables.Select(t => Enrich(connection, config, t)).ToList();
            foreach (var id in config.Ids) WriteStats(connection, config, id, time);
            return new UnificationResult(database, summary, enriched);
        }
        catch (SqliteException e)
        {
            throw new CdpException(LocalErrors.SqlFailed, $"Unification '{config.Name}' failed: {e.Message}");
        }
    }

    (string, int, int) BuildLookup(SqliteConnection connection, UnifyConfig config, IdSpec id, bool fullRefresh)
    {
        var keys = id.MergeByKeys.Count > 0 ? id.MergeByKeys : config.Keys.Keys.ToList();
        var nodes = new Dictionary<(string Key, string Value), int>();
        var order = new List<(string Key, string Value)>();
        var sets = new UnionFind();
        int Node(string key, string value)
        {
            if (nodes.TryGetValue((key, value), out var n)) return n;
            nodes[(key, value)] = n = sets.Add();
            order.Add((key, value));
            return n;
        }

        var lookup = LookupTable(id);
        if (id.Persistent && !fullRefresh && Sql.TableExists(connection, config.Database, lookup))
            foreach (var row in Read(connection, $"SELECT key_type, key_value FROM {Sql.Table(config.Database, lookup)} ORDER BY rowid"))
                if (row[0] is string k && row[1] is string v && keys.Contains(k)) Node(k, v);

        foreach (var table in InScope(config, id))
        {
            var columns = table.KeyColumns.Where(c => keys.Contains(c.Key)).ToList();
            if (columns.Count == 0) continue;
            var select = string.Join(", ", columns.Select(c => Sql.Quote(c.Column)));
            foreach (var row in Read(connection, $"SELECT {select} FROM {Sql.Table(table.Database, table.Table)} ORDER BY rowid"))
            {
                var first = -1;
                for (var i = 0; i < columns.Count; i++)
                {
                    if (ValidValue(config, columns[i].Key, row[i]) is not { } value) continue;
                    var node = Node(columns[i].Key, value);
                    if (first < 0) first = node; else sets.Union(first, node);
                }
            }
        }

        // Leader per set: earliest seen (persistent) or smallest by key priority then value (canonical).
        var leaders = new Dictionary<int, int>();
        for (var n = 0; n < order.Count; n++)
        {
            var root = sets.Find(n);
            if (!leaders.TryGetValue(root, out var leader) || (!id.Persistent && Smaller(order[n], order[leader], keys))) leaders[root] = n;
        }

        var target = Sql.Table(config.Database, lookup);
        using var tx = connection.BeginTransaction();
        Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
        Sql.Execute(connection, $"CREATE TABLE {target} (id TEXT NOT NULL, key_value TEXT NOT NULL, key_type TEXT NOT NULL)", tx);
        using (var insert = connection.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {target} (id, key_value, key_type) VALUES ($id, $v, $k)";
            var (pId, pV, pK) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$v", SqliteType.Text), insert.Parameters.Add("$k", SqliteType.Text));
            // Seen order, so the next incremental run seeds the same leaders.
            for (var n = 0; n < order.Count; n++)
            {
                var leader = order[leaders[sets.Find(n)]];
                (pId.Value, pV.Value, pK.Value) = (IdValue(config.Name, id.Name, leader), order[n].Value, order[n].Key);
                insert.ExecuteNonQuery();
            }
        }
        Sql.Execute(connection, $"CREATE INDEX {Sql.Quote(config.Database)}.{Sql.Quote(lookup + "_key")} ON {Sql.Quote(lookup)} (key_type, key_value)", tx);
        tx.Commit();
        return (id.Name, leaders.Count, order.Count);
    }

    /// <summary>enriched_&lt;table&gt;: every row of the source with one column per id; NULL when no valid key.</summary>
    string Enrich(SqliteConnection connection, UnifyConfig config, SourceTable table)
    {
        var name = "enriched_" + table.Alias;
        // Every id gets a column, NULL where the table is outside the id's source_tables, so the shape is stable.
        var idColumns = config.Ids.Select(id =>
        {
            if (!InScope(config, id).Contains(table)) return "NULL AS " + Sql.Quote(id.Name);
            var keys = id.MergeByKeys.Count > 0 ? id.MergeByKeys : config.Keys.Keys.ToList();
            var lookup = Sql.Table(config.Database, LookupTable(id));
            var probes = table.KeyColumns.Where(c => keys.Contains(c.Key)).Select(c =>
                $"(SELECT l.id FROM {lookup} l WHERE l.key_type = '{c.Key.Replace("'", "''")}' AND l.key_value = CAST(t.{Sql.Quote(c.Column)} AS TEXT))").ToList();
            return (probes.Count == 0 ? "NULL" : probes.Count == 1 ? probes[0] : $"COALESCE({string.Join(", ", probes)})") + " AS " + Sql.Quote(id.Name);
        });
        var target = Sql.Table(config.Database, name);
        using var tx = connection.BeginTransaction();
        Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
        Sql.Execute(connection, $"CREATE TABLE {target} AS SELECT t.*, {string.Join(", ", idColumns)} FROM {Sql.Table(table.Database, table.Table)} t ORDER BY t.rowid", tx);
        tx.Commit();
        return name;
    }

    /// <summary>Simple counts per source table and overall, replaced on each run.</summary>
    void WriteStats(SqliteConnection connection, UnifyConfig config, IdSpec id, long time)
    {
        var target = Sql.Table(config.Database, id.Name + "_result_key_stats");
        var idColumn = Sql.Quote(id.Name);
        using var tx = connection.BeginTransaction();
        Sql.Execute(connection, $"DROP TABLE IF EXISTS {target}", tx);
        Sql.Execute(connection, $"CREATE TABLE {target} (from_table TEXT, total_rows INTEGER, rows_with_id INTEGER, total_distinct INTEGER, time INTEGER)", tx);
        var parts = InScope(config, id).Select(t =>
            $"SELECT '{t.Alias.Replace("'", "''")}' AS from_table, count(*), count({idColumn}), count(DISTINCT {idColumn}), {time} FROM {Sql.Table(config.Database, "enriched_" + t.Alias)}").ToList();
        foreach (var part in parts) Sql.Execute(connection, $"INSERT INTO {target} {part}", tx);
        Sql.Execute(connection, $"INSERT INTO {target} SELECT '*', sum(total_rows), sum(rows_with_id), (SELECT count(DISTINCT id) FROM {Sql.Table(config.Database, LookupTable(id))}), {time} FROM {target}", tx);
        tx.Commit();
    }

    static string LookupTable(IdSpec id) => id.Name + "_lookup";

    static IEnumerable<SourceTable> InScope(UnifyConfig config, IdSpec id) =>
        id.SourceTables.Count == 0 ? config.Tables : config.Tables.Where(t => id.SourceTables.Contains(t.Alias) || id.SourceTables.Contains(t.Table));

    static string? ValidValue(UnifyConfig config, string key, object? raw)
    {
        if (raw is null) return null;
        var value = Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "";
        return config.Keys[key].Accepts(value) ? value : null;
    }

    static bool Smaller((string Key, string Value) a, (string Key, string Value) b, IReadOnlyList<string> keys)
    {
        var byKey = keys.ToList().IndexOf(a.Key).CompareTo(keys.ToList().IndexOf(b.Key));
        return byKey != 0 ? byKey < 0 : string.CompareOrdinal(a.Value, b.Value) < 0;
    }

    /// <summary>Deterministic, opaque and URL-safe like TD's ids: a hash of the leader key value.</summary>
    internal static string IdValue(string unification, string idName, (string Key, string Value) leader)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{unification}\0{idName}\0{leader.Key}\0{leader.Value}"));
        return Convert.ToBase64String(hash, 0, 18).Replace('+', '-').Replace('/', '_');
    }

    static IEnumerable<object?[]> Read(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            yield return row;
        }
    }
}

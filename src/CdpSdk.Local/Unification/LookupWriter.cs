using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.Unification;

/// <summary>
/// Writes an id's &lt;id&gt;_lookup and &lt;id&gt;_graph set-based: C# appends numbers only (each follower's
/// leader, each leader's id), and DuckDB joins them with the key values it already holds, so a value is
/// never appended as text once per table.
/// </summary>
internal static class LookupWriter
{
    /// <summary>
    /// One lookup row and one graph row per (node, leader) in <paramref name="follows"/>: the key value follows
    /// that leader. The lookup keeps that order (the next run seeds its nodes from it); the graph is a set.
    /// <paramref name="idOf"/> holds each leader's id.
    /// </summary>
    public static void Write(Db db, string database, string idName, string lookup, string nodeTable, IReadOnlyList<(int Node, int Leader)> follows, string?[] idOf)
    {
        var (follow, ids) = ($"_cdp_follows_{idName}", $"_cdp_id_values_{idName}");
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Sql.Quote(follow)} (seq INTEGER NOT NULL, node INTEGER NOT NULL, leader INTEGER NOT NULL)");
        using (var append = db.Connection.CreateAppender("temp", "main", follow))
            for (var i = 0; i < follows.Count; i++) append.CreateRow().AppendValue(i).AppendValue(follows[i].Node).AppendValue(follows[i].Leader).EndRow();
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Sql.Quote(ids)} (node INTEGER NOT NULL, id VARCHAR NOT NULL)");
        using (var append = db.Connection.CreateAppender("temp", "main", ids))
            for (var n = 0; n < idOf.Length; n++)
                if (idOf[n] is { } id) append.CreateRow().AppendValue(n).AppendValue(id).EndRow();

        var target = Sql.Table(database, lookup);
        db.Execute($"DROP TABLE IF EXISTS {target}");
        db.Execute($"CREATE TABLE {target} (id TEXT NOT NULL, key_value TEXT NOT NULL, key_type TEXT NOT NULL)");
        db.Execute($"INSERT INTO {target} SELECT i.id, n.v, n.key FROM temp.{Sql.Quote(follow)} f JOIN temp.{nodeTable} n ON n.node = f.node " +
            $"JOIN temp.{Sql.Quote(ids)} i ON i.node = f.leader ORDER BY f.seq");
        var graph = Sql.Table(database, idName + "_graph");
        db.Execute($"DROP TABLE IF EXISTS {graph}");
        db.Execute($"CREATE TABLE {graph} (follower_id TEXT NOT NULL, follower_ns TEXT NOT NULL, leader_id TEXT NOT NULL, leader_ns TEXT NOT NULL)");
        db.Execute($"INSERT INTO {graph} SELECT n.v, n.key, l.v, l.key FROM temp.{Sql.Quote(follow)} f JOIN temp.{nodeTable} n ON n.node = f.node " +
            $"JOIN temp.{nodeTable} l ON l.node = f.leader");
        foreach (var table in new[] { follow, ids }) db.Execute($"DROP TABLE IF EXISTS temp.{Sql.Quote(table)}");
    }

    /// <summary>A temp table named <paramref name="name"/> of each row's id (NULL for none), in row order; returns its name.</summary>
    public static string RowIds(Db db, string name, IEnumerable<string?> ids)
    {
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Sql.Quote(name)} (id VARCHAR)");
        using var append = db.Connection.CreateAppender("temp", "main", name);
        foreach (var id in ids)
        {
            var row = append.CreateRow();
            (id is null ? row.AppendNullValue() : row.AppendValue(id)).EndRow();
        }
        return name;
    }
}

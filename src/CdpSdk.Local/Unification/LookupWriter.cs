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
    /// <paramref name="idOf"/> holds each leader's id. Returns the temp table of (node, id) per leader, for
    /// <see cref="RowIds"/>; the caller drops it.
    /// </summary>
    public static string Write(Db db, string database, string idName, string lookup, string nodeTable, IReadOnlyList<(int Node, int Leader)> follows, string?[] idOf)
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
        db.Execute($"DROP TABLE IF EXISTS temp.{Sql.Quote(follow)}");
        return ids;
    }

    /// <summary>
    /// A temp table named <paramref name="name"/> of (rid, id): the id of each row of a source table that has
    /// one, by its rowid. C# appends the leader's node number per row; the ids join on in SQL.
    /// </summary>
    /// <param name="leaderOfRow">Per row in rowid order, the leader node of its record, or -1 for none.</param>
    /// <param name="idValues">The (node, id) table <see cref="Write"/> returned.</param>
    public static string RowIds(Db db, string name, IReadOnlyList<int> leaderOfRow, string idValues)
    {
        var leaders = name + "_leaders";
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Sql.Quote(leaders)} (rid BIGINT NOT NULL, node INTEGER NOT NULL)");
        using (var append = db.Connection.CreateAppender("temp", "main", leaders))
            for (var r = 0; r < leaderOfRow.Count; r++)
                if (leaderOfRow[r] >= 0) append.CreateRow().AppendValue((long)r).AppendValue(leaderOfRow[r]).EndRow();
        db.Execute($"CREATE OR REPLACE TEMP TABLE {Sql.Quote(name)} AS SELECT l.rid, i.id FROM temp.{Sql.Quote(leaders)} l JOIN temp.{Sql.Quote(idValues)} i ON i.node = l.node");
        db.Execute($"DROP TABLE temp.{Sql.Quote(leaders)}");
        return name;
    }
}

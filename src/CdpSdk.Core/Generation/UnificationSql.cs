using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>The prep and enrich queries of the unification project, per dialect.</summary>
internal static class UnificationSql
{
    /// <summary>
    /// queries/{table}_prep.sql: the distinct key values of one table under their key names (TD's alias_as);
    /// several columns of one key are coalesced, rows without any key are dropped.
    /// </summary>
    public static string Prep(ISqlDialect sql, UnificationSpec u, UnifyTable t)
    {
        var keys = KeysOf(u, t);
        var columns = keys.Select(k => $"  {KeyValue(sql, t, k)} AS {sql.Quote(k)}").ToList();
        return WorkflowGenerator.SqlHeader + "\n" +
            $"-- The {string.Join(", ", keys)} values of {t.Database}.{t.Table}, as src_prep_params.yml maps them.\n" +
            "SELECT DISTINCT\n" + string.Join(",\n", columns) + "\n" +
            $"FROM {sql.Table(t.Database, t.Table)} t\n" +
            $"WHERE {string.Join(" OR ", keys.Select(k => KeyValue(sql, t, k) + " IS NOT NULL"))}\n";
    }

    /// <summary>queries/unif_input_tbl.sql: every prep table's keys in one table, with the source table's name.</summary>
    public static string UnifInput(ISqlDialect sql, UnificationSpec u, IReadOnlyList<UnifyTable> tables, string prefix)
    {
        var all = u.Keys.Select(k => k.Name).Where(k => tables.Any(t => t.KeyColumns.Any(c => c.Key == k))).ToList();
        var parts = tables.Select(t =>
        {
            var keys = KeysOf(u, t);
            var columns = all.Select(k => keys.Contains(k) ? $"{sql.Quote(k)}" : $"CAST(NULL AS {sql.TextType}) AS {sql.Quote(k)}")
                .Append($"{sql.Literal(t.Table)} AS {sql.Quote("source")}");
            var prep = prefix + t.Table + "_prep";
            return $"SELECT {string.Join(", ", columns)}\nFROM {sql.Table(t.Database, prep)}";
        });
        return WorkflowGenerator.SqlHeader + "\n" +
            "-- Every prep table's keys in one table; source names the table they came from.\n" +
            string.Join("\nUNION ALL\n", parts) + "\n";
    }

    /// <summary>
    /// enrich/queries/{table}_enrich.sql: every row of the table with its id. One LEFT JOIN per key column,
    /// in key_columns order (the first match wins), which Presto and Hive both run (and DuckDB, Local's engine).
    /// </summary>
    public static string Enrich(ISqlDialect sql, TargetKind target, UnificationSpec u, UnifyTable t)
    {
        var columns = t.KeyColumns.Where(c => u.Keys.Any(k => k.Name == c.Key)).ToList();
        var joins = columns.Select((c, i) =>
            $"LEFT JOIN ({Lookup(sql, target, u, c.Key)}) k{i}\n  ON k{i}.{sql.Quote("key_value")} = {sql.AsText("t." + sql.Quote(c.Column))}");
        var id = columns.Count == 0 ? $"CAST(NULL AS {sql.TextType})"
            : columns.Count == 1 ? $"k0.{sql.Quote("id_value")}"
            : $"COALESCE({string.Join(", ", columns.Select((_, i) => $"k{i}.{sql.Quote("id_value")}"))})";
        return WorkflowGenerator.SqlHeader + "\n" +
            $"-- {u.Database}.enriched_{t.Table}: {t.Database}.{t.Table} with {u.IdName} from {u.IdName}_lookup (stage_enrich.yml).\n" +
            $"SELECT t.*, {id} AS {sql.Quote(u.IdName)}\n" +
            $"FROM {sql.Table(t.Database, t.Table)} t\n" +
            string.Join("\n", joins) + "\n";
    }

    /// <summary>
    /// The lookup rows of one key as (key_value, id_value). TD's {id}_lookup holds the key value in id and
    /// the key's number in id_key_type, named by {id}_keys; the Local engine's lookup names the key directly.
    /// </summary>
    static string Lookup(ISqlDialect sql, TargetKind target, UnificationSpec u, string key)
    {
        var lookup = sql.Table(u.Database, u.IdName + "_lookup");
        if (target == TargetKind.Local)
            return $"SELECT l.{sql.Quote("key_value")}, l.{sql.Quote("id")} AS {sql.Quote("id_value")} FROM {lookup} l WHERE l.{sql.Quote("key_type")} = {sql.Literal(key)}";
        var idColumn = u.IdMethod == IdMethod.PersistentId ? "persistent_id" : "canonical_id";
        return $"SELECT l.{sql.Quote("id")} AS {sql.Quote("key_value")}, l.{sql.Quote(idColumn)} AS {sql.Quote("id_value")} FROM {lookup} l " +
            $"JOIN {sql.Table(u.Database, u.IdName + "_keys")} k ON k.{sql.Quote("key_type")} = l.{sql.Quote("id_key_type")} WHERE k.{sql.Quote("key_name")} = {sql.Literal(key)}";
    }

    static List<string> KeysOf(UnificationSpec u, UnifyTable t) =>
        u.Keys.Select(k => k.Name).Where(k => t.KeyColumns.Any(c => c.Key == k))
            .Concat(t.KeyColumns.Select(c => c.Key)).Distinct().ToList();

    /// <summary>The table's columns of one key as text, coalesced when there are several.</summary>
    static string KeyValue(ISqlDialect sql, UnifyTable t, string key)
    {
        var columns = t.KeyColumns.Where(c => c.Key == key).Select(c => sql.AsText("t." + sql.Quote(c.Column))).ToList();
        return columns.Count == 1 ? columns[0] : $"COALESCE({string.Join(", ", columns)})";
    }
}

using System.Text.RegularExpressions;

namespace CdpSdk.TreasureData.Fake;

/// <summary>
/// Plays a workflow instead of running it: tasks come from the .dig's "+name:" keys, and on success the
/// tables and databases its tasks declare (td_ddl> create_databases; database + table / create_table /
/// insert_into; the CDP unification call's unify.yml) appear in the fake's table registry. It cannot run
/// SQL; tests that need particular data script the table registry or the query answers. It does resolve
/// what a td> query reads first (its first FROM "db"."table"), failing the task with Presto's words when
/// the schema or table does not exist, or when the query names a column a declared table lacks; and a
/// ${secret:key} the project has no value for fails with Digdag's words.
/// </summary>
public static partial class WorkflowSimulator
{
    [GeneratedRegex(@"^(?<indent>\s*)\+(?<name>[A-Za-z0-9_\-=\[\]{}%&@,.^]+):\s*$")]
    private static partial Regex TaskKey();

    [GeneratedRegex(@"^\s*(?:-\s*)?(?<key>database|table|create_table|insert_into):\s*['""]?(?<value>[A-Za-z0-9_]+)['""]?\s*$")]
    private static partial Regex TableKey();

    [GeneratedRegex(@"^\s*td>:\s*['""]?(?<file>[^'""\s]+\.sql)['""]?\s*$")]
    private static partial Regex QueryFile();

    /// <summary>Output column names a query declares with AS (what CREATE TABLE AS SELECT would add to t.*).</summary>
    [GeneratedRegex(@"\bAS\s+[""`]?(?<name>[A-Za-z_][A-Za-z0-9_]*)[""`]?\s*(?:,|$|\n|FROM)", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex Alias();

    [GeneratedRegex(@"^(?<indent>\s*)call>:\s*['""]?(?<file>[^'""\s]+)['""]?\s*$")]
    private static partial Regex CallLine();

    [GeneratedRegex(@"create_databases:\s*\[(?<list>[^\]]*)\]")]
    private static partial Regex CreateDatabases();

    [GeneratedRegex(@"\$\{secret:(?<key>[A-Za-z0-9_.\-]+)\}")]
    private static partial Regex SecretRef();

    /// <summary>The first relation a query reads: FROM "db"."table" [AS] alias (quoted or not).</summary>
    [GeneratedRegex(@"\bFROM\s+(?:""(?<db>\w+)""|(?<db>\w+))\.(?:""(?<table>\w+)""|(?<table>\w+))(?:\s+(?:AS\s+)?(?<alias>[A-Za-z_]\w*))?", RegexOptions.IgnoreCase)]
    private static partial Regex FromTable();

    [GeneratedRegex(@"--[^\n]*")]
    private static partial Regex LineComment();

    static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase) { "WHERE", "LEFT", "RIGHT", "FULL", "INNER", "CROSS", "JOIN", "ON", "GROUP", "ORDER", "LIMIT", "UNION", "HAVING" };

    /// <summary>
    /// A workflow's text with each call>'d workflow's text in place of the call line, indented under the
    /// calling task (Digdag runs the called workflow as that task's subtasks; unif_runner.dig calls three).
    /// </summary>
    public static string Expanded(FakeRevision revision, string file, int depth = 0)
    {
        var text = revision.Text(file);
        if (depth > 8) return text;
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            var m = CallLine().Match(line);
            if (!m.Success) { lines.Add(line); continue; }
            var target = m.Groups["file"].Value.EndsWith(".dig", StringComparison.Ordinal) ? m.Groups["file"].Value : m.Groups["file"].Value + ".dig";
            lines.AddRange(Expanded(revision, target, depth + 1).Split('\n').Select(l => l.Length == 0 ? l : m.Groups["indent"].Value + l));
        }
        return string.Join('\n', lines);
    }

    public static List<FakeTask> Tasks(string workflow, string dig, Func<string> nextId)
    {
        var root = new FakeTask { Id = nextId(), FullName = "+" + workflow, IsGroup = true };
        var tasks = new List<FakeTask> { root };
        var stack = new List<(int Indent, FakeTask Task)>();
        foreach (var line in dig.Split('\n'))
        {
            var m = TaskKey().Match(line);
            if (!m.Success) continue;
            var indent = m.Groups["indent"].Value.Length;
            stack.RemoveAll(s => s.Indent >= indent);
            var parent = stack.Count > 0 ? stack[^1].Task : root;
            var task = new FakeTask { Id = nextId(), FullName = parent.FullName + "+" + m.Groups["name"].Value, ParentId = parent.Id };
            tasks.Add(task);
            stack.Add((indent, task));
        }
        foreach (var t in tasks) t.IsGroup |= tasks.Any(c => c.ParentId == t.Id);
        return tasks;
    }

    /// <summary>
    /// What a successful run leaves behind, or the reason it fails (a missing database, table, column or
    /// secret) with the failing task's name and log when one task is to blame.
    /// </summary>
    public static (List<string> Databases, List<(string Database, string Table, bool Append, List<string> Columns)> Tables, string? Failure, string? FailTask, string? FailLog) Effects(
        FakeRevision revision, string workflow, IReadOnlySet<string> existingDatabases, IReadOnlyDictionary<string, string> secrets,
        Func<string, string, FakeTable?>? existingTable = null)
    {
        var dig = Expanded(revision, workflow + ".dig");
        var databases = new List<string>();
        var tables = new List<(string, string, bool, List<string>)>();
        foreach (Match m in CreateDatabases().Matches(dig))
            databases.AddRange(m.Groups["list"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.Trim('\'', '"')));

        foreach (Match m in SecretRef().Matches(dig))
            if (!secrets.ContainsKey(m.Groups["key"].Value))
                return ([], [], $"Secret not found for key: '{m.Groups["key"].Value}'", null, null); // Digdag's SecretNotFoundException

        // The unification API creates its output database, which the enrichment tasks after it write to.
        if (dig.Contains("/unifications/workflow_call", StringComparison.Ordinal))
        {
            var unify = revision.Text("config/unify.yml");
            var name = Regex.Match(unify, @"^name:\s*(\S+)", RegexOptions.Multiline).Groups[1].Value;
            var idNames = Regex.Matches(unify, @"^(?:persistent_ids|canonical_ids):\s*\n\s*-\s*name:\s*(\S+)", RegexOptions.Multiline).Select(x => x.Groups[1].Value).ToList();
            var output = "cdp_unification_" + name;
            databases.Add(output);
            foreach (Match t in Regex.Matches(unify, @"^\s*-\s*database:\s*(\S+)\s*\n\s*table:\s*(\S+)", RegexOptions.Multiline))
            {
                if (!existingDatabases.Contains(t.Groups[1].Value)) return ([], [], $"Database '{t.Groups[1].Value}' not found", null, null);
                tables.Add((output, "enriched_" + t.Groups[2].Value, false, ["id", "time", .. idNames]));
            }
            foreach (var id in idNames)
            {
                tables.Add((output, id + "_lookup", false, ["id", "key_value", "key_type"]));
                tables.Add((output, id + "_result_key_stats", true, ["from_table", "total_rows", "rows_with_id", "time"]));
            }
        }

        string? database = null;
        string? queryFile = null;
        string? task = null;
        foreach (var line in dig.Split('\n'))
        {
            if (TaskKey().Match(line) is { Success: true } k) task = k.Groups["name"].Value;
            if (QueryFile().Match(line) is { Success: true } q)
            {
                queryFile = q.Groups["file"].Value;
                var problem = existingTable is null ? null : QueryProblem(revision.Text(queryFile), (db, t) =>
                    existingDatabases.Contains(db) || databases.Contains(db) ? existingTable(db, t) ?? (tables.Any(x => x.Item1 == db && x.Item2 == t) ? new FakeTable() : null) : null,
                    db => existingDatabases.Contains(db) || databases.Contains(db));
                if (problem is not null)
                    return ([], [], problem, task, $"2026-01-01 00:00:00.000 +0000 [INFO] td>: {queryFile}\nStarted presto job id=1\n{problem}");
            }
            var m = TableKey().Match(line);
            if (!m.Success) continue;
            var value = m.Groups["value"].Value;
            if (m.Groups["key"].Value == "database") { database = value; continue; }
            if (database is null) continue;
            if (!existingDatabases.Contains(database) && !databases.Contains(database))
                return ([], [], $"Database '{database}' not found", null, null);
            tables.Add((database, value, m.Groups["key"].Value == "insert_into", Columns(revision, queryFile)));
        }

        return (databases, tables, null, null, null);
    }

    /// <summary>
    /// Presto's answer to a query reading a schema or table that does not exist, or naming a column its
    /// (declared) table lacks: "Query failed (#id): line L:C: …", positions counted in the query text.
    /// </summary>
    static string? QueryProblem(string sql, Func<string, string, FakeTable?> table, Func<string, bool> schemaExists)
    {
        // Comments may name tables too; blank them out, keeping every position for the error's line and column.
        sql = LineComment().Replace(sql, m => new string(' ', m.Length));
        var from = FromTable().Match(sql);
        if (!from.Success) return null;
        string Failed(int index, string what)
        {
            var line = sql[..index].Count(c => c == '\n') + 1;
            var column = index - sql.LastIndexOf('\n', Math.Max(0, index - 1));
            return $"Query failed (#20260101_000000_{sql.Length % 100000:00000}_fake0): line {line}:{column}: {what}";
        }
        var (db, name) = (from.Groups["db"].Value, from.Groups["table"].Value);
        if (!schemaExists(db)) return Failed(from.Groups["db"].Index, $"Schema '{db}' does not exist");
        if (table(db, name) is not { } t) return Failed(from.Groups["db"].Index, $"Table 'td-presto.{db}.{name}' does not exist");
        if (!t.StrictColumns || !from.Groups["alias"].Success || Keywords.Contains(from.Groups["alias"].Value)) return null;
        var alias = from.Groups["alias"].Value;
        foreach (Match c in Regex.Matches(sql, $@"\b{Regex.Escape(alias)}\.(?:""(?<col>\w+)""|(?<col>\w+))"))
            if (!t.Columns.Contains(c.Groups["col"].Value, StringComparer.OrdinalIgnoreCase))
                return Failed(c.Index, $"Column '{alias}.{c.Groups["col"].Value}' cannot be resolved");
        return null;
    }

    static List<string> Columns(FakeRevision revision, string? queryFile)
    {
        var sql = queryFile is null ? "" : revision.Text(queryFile);
        return ["id", "time", .. Alias().Matches(sql).Select(a => a.Groups["name"].Value).Distinct()];
    }
}

using System.Text.RegularExpressions;

namespace CdpSdk.TreasureData.Fake;

/// <summary>
/// Plays a workflow instead of running it: tasks come from the .dig's "+name:" keys, and on success the
/// tables and databases its tasks declare (td_ddl> create_databases; database + table / create_table /
/// insert_into; the CDP unification call's unify.yml) appear in the fake's table registry. It cannot run
/// SQL; tests that need particular data script the table registry or the query answers.
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

    /// <summary>What a successful run leaves behind, or the reason it fails (a missing database or secret).</summary>
    public static (List<string> Databases, List<(string Database, string Table, bool Append, List<string> Columns)> Tables, string? Failure) Effects(
        FakeRevision revision, string workflow, IReadOnlySet<string> existingDatabases, IReadOnlyDictionary<string, string> secrets)
    {
        var dig = Expanded(revision, workflow + ".dig");
        var databases = new List<string>();
        var tables = new List<(string, string, bool, List<string>)>();
        foreach (Match m in CreateDatabases().Matches(dig))
            databases.AddRange(m.Groups["list"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.Trim('\'', '"')));

        foreach (Match m in SecretRef().Matches(dig))
            if (!secrets.ContainsKey(m.Groups["key"].Value))
                return ([], [], $"Secret not found: {m.Groups["key"].Value}");

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
                if (!existingDatabases.Contains(t.Groups[1].Value)) return ([], [], $"Database '{t.Groups[1].Value}' not found");
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
        foreach (var line in dig.Split('\n'))
        {
            if (QueryFile().Match(line) is { Success: true } q) queryFile = q.Groups["file"].Value;
            var m = TableKey().Match(line);
            if (!m.Success) continue;
            var value = m.Groups["value"].Value;
            if (m.Groups["key"].Value == "database") { database = value; continue; }
            if (database is null) continue;
            if (!existingDatabases.Contains(database) && !databases.Contains(database))
                return ([], [], $"Database '{database}' not found");
            tables.Add((database, value, m.Groups["key"].Value == "insert_into", Columns(revision, queryFile)));
        }

        return (databases, tables, null);
    }

    static List<string> Columns(FakeRevision revision, string? queryFile)
    {
        var sql = queryFile is null ? "" : revision.Text(queryFile);
        return ["id", "time", .. Alias().Matches(sql).Select(a => a.Groups["name"].Value).Distinct()];
    }
}

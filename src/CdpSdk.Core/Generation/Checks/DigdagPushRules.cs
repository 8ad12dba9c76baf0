using System.Text;
using System.Text.RegularExpressions;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Generation.Checks;

/// <summary>
/// What Digdag and TD Workflow refuse when a project is pushed (or when its first attempt starts), checked
/// before Deploy so the user gets the file and line instead of a remote 400: YAML errors and duplicate keys,
/// unknown top-level keys, task names, two operators or an operator with subtasks, a missing or escaping
/// <c>!include</c>, <c>_after</c> outside a parallel group, an invalid <c>schedule:</c>, workflow names, operators
/// TD does not run, the project size, 1000 tasks per attempt and 640 bytes per task name.
/// </summary>
public static partial class DigdagPushRules
{
    /// <summary>TD documents 10 MB per project (open-source Digdag's default is 2 MiB).</summary>
    public const long MaxProjectBytes = 10L * 1024 * 1024;
    public const int MaxTasks = 1000;
    public const int MaxTaskNameBytes = 640;

    static readonly string[] TopLevelKeys = ["timezone", "_export", "schedule", "sla", "_error", "_check", "_retry", "_parallel"];
    static readonly string[] NotOnTd = ["sh>", "rb>", "embulk>", "param_get>", "param_set>"];
    const int MaxDepth = 16;

    [GeneratedRegex(@"^\+[A-Za-z0-9_\-=\[\]{}%&@,.^]+$")]
    private static partial Regex TaskName();

    /// <summary>Checks a generated project; locations are files under <paramref name="root"/>.</summary>
    public static IReadOnlyList<Diagnostic> Check(GeneratedProject project, string root, bool treasureData) =>
        Check(project.Files.ToDictionary(f => f.RelativePath, f => f.Content, StringComparer.Ordinal), root, treasureData);

    /// <param name="files">Project-relative path ('/') to content.</param>
    public static IReadOnlyList<Diagnostic> Check(IReadOnlyDictionary<string, string> files, string root, bool treasureData)
    {
        var run = new Run(files, root, treasureData);
        var size = files.Values.Sum(c => (long)Encoding.UTF8.GetByteCount(c));
        if (size > MaxProjectBytes)
            run.Add("CDP1026", "", 0, $"The project is {size / 1024 / 1024.0:0.0} MB; TD accepts at most {MaxProjectBytes / 1024 / 1024} MB per project. Split it, or keep data files out of it.");
        foreach (var path in files.Keys.Where(p => p.EndsWith(".yml", StringComparison.Ordinal) || p.EndsWith(".yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            run.Parse(path);
        foreach (var path in files.Keys.Where(p => p.EndsWith(".dig", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            run.Workflow(path);
        return run.Found;
    }

    sealed class Run(IReadOnlyDictionary<string, string> files, string root, bool treasureData)
    {
        public List<Diagnostic> Found { get; } = [];
        readonly Dictionary<string, YamlTreeNode?> _parsed = new(StringComparer.Ordinal);

        public void Add(string code, string path, int line, string message, int column = 0) =>
            Found.Add(Diagnostic.Error(code, path.Length == 0 ? message : $"{path}: {message}",
                new SourceLocation(path.Length == 0 ? root : Path.Combine(root, path.Replace('/', Path.DirectorySeparatorChar)), line, column)));

        /// <summary>Parses a file once, reporting YAML errors (CDP1020) and duplicate keys (CDP1021).</summary>
        public YamlTreeNode? Parse(string path)
        {
            if (_parsed.TryGetValue(path, out var known)) return known;
            var (node, problems) = YamlTree.Parse(files[path]);
            foreach (var p in problems)
                Add(p.DuplicateKey ? "CDP1021" : "CDP1020", path, p.Line, p.DuplicateKey ? p.Message + " (Digdag refuses duplicate keys)" : "is not valid YAML: " + p.Message, p.Column);
            _parsed[path] = problems.Count == 0 ? node : null;
            return _parsed[path];
        }

        public void Workflow(string path)
        {
            var name = path[(path.LastIndexOf('/') + 1)..^".dig".Length];
            if (!path.Contains('/') && (name.Length is 0 or > 255 || char.IsAsciiDigit(name[0]) || "+^@/\\:*?\"<>|".Contains(name[0])))
                Add("CDP1029", path, 1, $"'{name}' is not a workflow name Digdag accepts: 1 to 255 characters, not starting with a digit or one of + ^ @ / \\ : * ? \" < > |.");
            if (Parse(path) is not { } node) return;
            if (node is not YamlTreeMapping top)
            {
                Add("CDP1020", path, node.Line, "a workflow must be a YAML mapping of settings and +tasks.");
                return;
            }
            var merged = Merge(path, top, 0);
            foreach (var (key, _) in merged.Entries.Where(e => !e.Key.Value.StartsWith('+') && !TopLevelKeys.Contains(e.Key.Value)))
                Add("CDP1022", key.Path, key.Line, $"'{key.Value}' is not a top-level key of a workflow. Allowed: {string.Join(", ", TopLevelKeys)} and +tasks.");
            if (merged.Get("schedule") is { } schedule) Schedule(schedule);
            var tasks = 1;
            Task(merged, "+" + name, parentParallel: false, ref tasks, callDepth: 0);
            if (tasks > MaxTasks)
                Add("CDP1027", path, 1, $"workflow '{name}' has {tasks} tasks; TD runs at most {MaxTasks} per attempt. Split it into several workflows.");
        }

        void Schedule(Entry schedule)
        {
            var ok = schedule.Value is MergedMap m && m.Entries.Count(e => e.Key.Value.EndsWith('>')) == 1
                && m.Entries.First(e => e.Key.Value.EndsWith('>')) is var op && op.Value.Scalar is { } value
                && ScheduleRules.Normalize($"{op.Key.Value}: {value}") is { Length: > 0 };
            if (!ok) Add("CDP1031", schedule.Key.Path, schedule.Key.Line, "schedule: must hold one operator such as daily>: 07:00:00 or cron>: '0 7 * * *'.");
        }

        /// <summary>Walks a task and its subtasks: names, operators, _after, call> targets and the task count.</summary>
        void Task(MergedMap task, string fullName, bool parentParallel, ref int tasks, int callDepth)
        {
            var operators = task.Entries.Where(e => e.Key.Value.EndsWith('>')).ToList();
            var children = task.Entries.Where(e => e.Key.Value.StartsWith('+')).ToList();
            if (operators.Count > 1)
                Add("CDP1024", operators[1].Key.Path, operators[1].Key.Line, $"task {fullName} has two operators ({operators[0].Key.Value} and {operators[1].Key.Value}); a task runs exactly one.");
            else if (operators.Count == 1 && children.Count > 0)
                Add("CDP1024", children[0].Key.Path, children[0].Key.Line, $"task {fullName} has both the operator {operators[0].Key.Value} and the subtask {children[0].Key.Value}; put the subtasks in a group of their own.");
            if (treasureData && operators.FirstOrDefault(o => NotOnTd.Contains(o.Key.Value)) is { Key: not null } banned)
                Add("CDP1032", banned.Key.Path, banned.Key.Line, $"task {fullName} uses {banned.Key.Value}, which TD Workflow does not run (use td>, py> or a connector instead).");
            if (task.Get("_after") is { } after && !parentParallel)
                Add("CDP1030", after.Key.Path, after.Key.Line, $"task {fullName} has _after, which Digdag accepts only in a group with _parallel: true.");

            var parallel = task.Get("_parallel") is { Value.Scalar: not null and not "false" } || task.Get("_parallel")?.Value is MergedMap;
            foreach (var block in new[] { "_do", "_else_do", "_error", "_check" })
                if (task.Get(block) is { Value: MergedMap body })
                    Children(body, fullName + (block == "_error" ? "^error" : block == "_check" ? "^check" : "^sub"), parallel, ref tasks, callDepth);
            Children(task, fullName, parallel, ref tasks, callDepth);

            if (operators.Count == 1 && operators[0].Key.Value == "call>" && operators[0].Value.Scalar is { Length: > 0 } target && callDepth < MaxDepth)
            {
                var file = Resolve(operators[0].Key.Path, target.EndsWith(".dig", StringComparison.Ordinal) ? target : target + ".dig");
                if (file is not null && files.ContainsKey(file) && Parse(file) is YamlTreeMapping called)
                    Task(Merge(file, called, 0), fullName + "^sub", parallel, ref tasks, callDepth + 1);
                else if (file is null || !files.ContainsKey(file))
                    Add("CDP1025", operators[0].Key.Path, operators[0].Key.Line, $"task {fullName} calls '{target}', which is not a file of the project.");
            }
        }

        void Children(MergedMap group, string fullName, bool parallel, ref int tasks, int callDepth)
        {
            foreach (var child in group.Entries.Where(e => e.Key.Value.StartsWith('+')))
            {
                tasks++;
                var name = fullName + child.Key.Value;
                if (!TaskName().IsMatch(child.Key.Value))
                    Add("CDP1023", child.Key.Path, child.Key.Line, $"task name '{child.Key.Value}' may only use letters, digits and _-=[]{{}}%&@,.^ after the '+'.");
                if (Encoding.UTF8.GetByteCount(name) > MaxTaskNameBytes)
                    Add("CDP1028", child.Key.Path, child.Key.Line, $"the task's full name is {Encoding.UTF8.GetByteCount(name)} bytes; TD allows at most {MaxTaskNameBytes}. Shorten the task or group names.");
                if (child.Value is MergedMap body) Task(body, name, parallel, ref tasks, callDepth);
                else if (child.Value.Scalar is not null && child.Value.Scalar.Length > 0)
                    Add("CDP1024", child.Key.Path, child.Key.Line, $"task {name} must be a mapping of an operator and its parameters, or of subtasks.");
            }
        }

        /// <summary>A mapping with its !include keys replaced by the included files' entries (Digdag merges them at load).</summary>
        MergedMap Merge(string path, YamlTreeMapping map, int depth)
        {
            var entries = new List<Entry>();
            foreach (var (key, value) in map.Entries)
            {
                if (!key.IsInclude)
                {
                    entries.Add(new Entry(new Key(key.Value, path, key.Line), Wrap(path, value, depth)));
                    continue;
                }
                var target = value is YamlTreeScalar s ? s.Value : "";
                var file = Resolve(path, target);
                if (file is null)
                    Add("CDP1025", path, key.Line, $"!include '{target}' leaves the project folder; Digdag refuses includes that escape with '..' or an absolute path.");
                else if (!files.ContainsKey(file))
                    Add("CDP1025", path, key.Line, $"!include '{target}' names a file the project does not have.");
                else if (depth >= MaxDepth)
                    Add("CDP1025", path, key.Line, $"!include '{target}' is nested more than {MaxDepth} levels deep (an include cycle?).");
                else if (Parse(file) is YamlTreeMapping included)
                    entries.AddRange(Merge(file, included, depth + 1).Entries);
            }
            return new MergedMap(entries);
        }

        Value Wrap(string path, YamlTreeNode node, int depth) => node switch
        {
            YamlTreeMapping m => Merge(path, m, depth),
            YamlTreeScalar s => new Value(s.Value),
            _ => new Value(null),
        };

        /// <summary>An include or call path relative to the including file's folder; null when it leaves the project.</summary>
        static string? Resolve(string fromFile, string target)
        {
            if (target.Length == 0 || target.StartsWith('/') || target.Contains(':')) return null;
            var parts = fromFile.Split('/')[..^1].ToList();
            foreach (var part in target.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == ".") continue;
                if (part == "..")
                {
                    if (parts.Count == 0) return null;
                    parts.RemoveAt(parts.Count - 1);
                }
                else parts.Add(part);
            }
            return string.Join('/', parts);
        }
    }

    sealed record Key(string Value, string Path, int Line);

    record Value(string? Scalar);

    sealed record Entry(Key Key, Value Value);

    sealed record MergedMap(IReadOnlyList<Entry> Entries) : Value((string?)null)
    {
        public Entry? Get(string key) => Entries.LastOrDefault(e => e.Key.Value == key);
    }
}

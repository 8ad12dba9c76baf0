using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

// Generation time against pipeline size: N objects spread over 20 sources, each object staged with an email
// column and unified by default, for N = 100, 250, 500, 1000. Times the in-memory generation of all four
// phases plus the Digdag push check, and separately writing the projects to disk (first write, then an
// unchanged rewrite). Reports medians; linear growth shows as a flat time per object.
//   dotnet run -c Release --project bench/CdpSdk.Bench [-- runs]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
int[] sizes = [100, 250, 500, 1000];
const int Sources = 20;
var inv = CultureInfo.InvariantCulture;

Console.WriteLine($"CdpSdk generation benchmark: {Sources} sources, median of {runs} runs after 3 warm-ups ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
Console.WriteLine();
Console.WriteLine("| objects | files | generate + check (ms) | per object (µs) | write, first (ms) | write, unchanged (ms) | push-check findings |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
double? basePerObject = null;
foreach (var n in sizes)
{
    var spec = Spec(n);
    var generate = Median(runs, () => GenerateAndCheck(spec));
    var (files, findings) = GenerateAndCheck(spec);
    var dir = Path.Combine(Path.GetTempPath(), "cdp-bench-" + Guid.NewGuid().ToString("N"));
    try
    {
        var projects = PhaseOrder.All.Select(p => WorkflowGenerator.Generate(spec, p)).ToList();
        var first = Median(runs, () => { foreach (var p in projects) ProjectWriter.Write(p, Path.Combine(dir, p.Phase.FolderName())); return 0; },
            setup: () => { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); });
        var unchanged = Median(runs, () => { foreach (var p in projects) ProjectWriter.Write(p, Path.Combine(dir, p.Phase.FolderName())); return 0; });
        var perObject = generate * 1000 / n;
        basePerObject ??= perObject;
        var summary = findings.Count == 0 ? "none" : string.Join(", ", findings.GroupBy(d => d.Code).Select(g => $"{g.Key} ×{g.Count()}"));
        Console.WriteLine(string.Create(inv, $"| {n} | {files} | {generate:0.0} | {perObject:0.0} ({perObject / basePerObject:0.00}×) | {first:0.0} | {unchanged:0.0} | {summary} |"));
    }
    finally
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}

static (int Files, IReadOnlyList<Diagnostic> Findings) GenerateAndCheck(PipelineSpec spec)
{
    var files = 0;
    var findings = new List<Diagnostic>();
    foreach (var phase in PhaseOrder.All)
    {
        var project = WorkflowGenerator.Generate(spec, phase);
        files += project.Files.Count;
        findings.AddRange(DigdagPushRules.Check(project, "/bench", treasureData: true));
    }
    return (files, findings);
}

static double Median<T>(int runs, Func<T> work, Action? setup = null)
{
    for (var i = 0; i < 3; i++) { setup?.Invoke(); work(); }
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        setup?.Invoke();
        var clock = Stopwatch.StartNew();
        work();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times.Count % 2 == 1 ? times[times.Count / 2] : (times[times.Count / 2 - 1] + times[times.Count / 2]) / 2;
}

/// <summary>A TreasureData project (no local files needed) with n objects over 20 sources, staged and unified on email.</summary>
static PipelineSpec Spec(int n)
{
    var file = Path.Combine(Path.GetTempPath(), "bench.cdpproj");
    var at = new SourceLocation(file);
    var properties = new Dictionary<string, RawProperty>(StringComparer.OrdinalIgnoreCase)
    {
        ["CdpClient"] = new("CdpClient", "bench", at),
        ["CdpTarget"] = new("CdpTarget", "TreasureData", at),
        ["CdpIngestionSchedule"] = new("CdpIngestionSchedule", "daily 01:00", at),
    };
    var items = new List<RawItem>();
    RawItem Item(string type, string identity, params (string, string)[] metadata) =>
        new(type, identity, metadata.ToDictionary(m => m.Item1, m => m.Item2), at);
    for (var s = 0; s < Sources; s++)
        items.Add(Item("CdpSource", $"source{s:00}", ("Connector", "s3"), ("Mode", s % 2 == 0 ? "both" : "incremental")));
    for (var i = 0; i < n; i++)
    {
        var source = $"source{i % Sources:00}";
        items.Add(Item("CdpObject", $"object{i:0000}", ("Source", source), ("Location", $"bucket/{source}/object{i:0000}")));
        items.Add(Item("CdpStaging", $"{source}_object{i:0000}", ("EmailColumns", "email"), ("PhoneColumns", "phone"), ("TimestampColumns", "updated_at")));
    }
    items.Add(Item("CdpUnification", "everyone"));
    var result = PipelineSpecReader.Read(new RawProject(file, properties, items, [], []), () => new ApiKey("1/abcdef", "bench"));
    return result.Spec ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
}

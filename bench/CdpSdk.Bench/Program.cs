using System.Diagnostics;
using System.Globalization;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

// Generation time against pipeline size: N objects spread over 20 sources, each object staged with email,
// phone and timestamp columns and unified by default, for N = 100, 250, 500, 1000. Times the in-memory
// generation of all four phases plus the Digdag push check, and separately writing the projects to disk
// (first write into an empty folder, then an unchanged rewrite). The sizes are measured round-robin, so load
// from other processes hits them alike; medians and minimums are reported. Linear growth shows as a flat
// time per object.
//   dotnet run -c Release --project bench/CdpSdk.Bench [-- runs]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
int[] sizes = [100, 250, 500, 1000];
const int Sources = 20;
var inv = CultureInfo.InvariantCulture;

var cases = sizes.Select(n => new Case(n, Spec(n))).ToList();
foreach (var c in cases)
{
    var (files, findings) = GenerateAndCheck(c.Spec);
    c.Files = files;
    c.Findings = findings.Count == 0 ? "none" : string.Join(", ", findings.GroupBy(d => d.Code).Select(g => $"{g.Key} ×{g.Count()}"));
}
for (var run = -3; run < runs; run++) // three warm-up rounds
    foreach (var c in cases)
    {
        var clock = Stopwatch.StartNew();
        GenerateAndCheck(c.Spec);
        var generate = clock.Elapsed.TotalMilliseconds;

        var projects = PhaseOrder.All.Select(p => WorkflowGenerator.Generate(c.Spec, p)).ToList();
        var dir = Path.Combine(Path.GetTempPath(), "cdp-bench-" + Guid.NewGuid().ToString("N"));
        clock.Restart();
        foreach (var p in projects) ProjectWriter.Write(p, Path.Combine(dir, p.Phase.FolderName()));
        var first = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        foreach (var p in projects) ProjectWriter.Write(p, Path.Combine(dir, p.Phase.FolderName()));
        var unchanged = clock.Elapsed.TotalMilliseconds;
        Directory.Delete(dir, recursive: true);
        if (run < 0) continue;
        c.Generate.Add(generate);
        c.First.Add(first);
        c.Unchanged.Add(unchanged);
    }

Console.WriteLine($"CdpSdk generation benchmark: {Sources} sources, {runs} round-robin runs after 3 warm-ups ({Environment.ProcessorCount} cores, .NET {Environment.Version})");
Console.WriteLine();
Console.WriteLine("| objects | files | generate + check, median (min) ms | per object, median µs | write first, median ms | write unchanged, median ms | push-check findings |");
Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
var basePerObject = Median(cases[0].Generate) * 1000 / cases[0].Objects;
foreach (var c in cases)
{
    var perObject = Median(c.Generate) * 1000 / c.Objects;
    Console.WriteLine(string.Create(inv,
        $"| {c.Objects} | {c.Files} | {Median(c.Generate):0.0} ({c.Generate.Min():0.0}) | {perObject:0} ({perObject / basePerObject:0.00}×) | {Median(c.First):0} | {Median(c.Unchanged):0.0} | {c.Findings} |"));
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

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>A TreasureData project (no local files needed) with n objects over 20 sources, staged and unified on email and phone.</summary>
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

sealed class Case(int objects, PipelineSpec spec)
{
    public int Objects { get; } = objects;
    public PipelineSpec Spec { get; } = spec;
    public int Files { get; set; }
    public string Findings { get; set; } = "";
    public List<double> Generate { get; } = [];
    public List<double> First { get; } = [];
    public List<double> Unchanged { get; } = [];
}

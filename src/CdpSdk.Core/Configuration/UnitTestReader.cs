using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;
using CdpSdk.Core.Testing;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Reads CdpTest items: which transform is tested (the output Table a phase writes), the given rows of its
/// inputs and the expected rows, inline CSV in the item or a CSV/YAML file. Given columns must be columns
/// of the input table, expected columns columns of the output, wherever the project tells them
/// (<see cref="SourceColumns"/>); every problem points at its file and line.
/// </summary>
internal static class UnitTestReader
{
    static readonly Phase[] Testable = [Phase.HistUnion, Phase.Staging, Phase.Unification];

    public static IReadOnlyList<UnitTestSpec> Read(ReadContext ctx, PipelineSpec spec)
    {
        var tests = new List<UnitTestSpec>();
        foreach (var item in ctx.Project.ItemsOf("CdpTest"))
        {
            var before = ctx.Diagnostics.Count;
            if (!NameRules.IsSymbol(item.Identity))
                ctx.Error("CDP0306", $"CdpTest '{item.Identity}' is not a valid test name: use letters, digits and underscore, starting with a letter.", item.Location);
            else if (tests.Any(t => t.Name == item.Identity) || ctx.Project.ItemsOf("CdpTest").Count(i => i.Identity == item.Identity) > 1)
                ctx.Error("CDP0306", $"CdpTest '{item.Identity}' is declared twice; each test needs its own name.", item.Location);
            var test = ReadOne(ctx, spec, item);
            if (test is not null && ctx.Diagnostics.Count == before) tests.Add(test);
        }
        return tests;
    }

    static UnitTestSpec? ReadOne(ReadContext ctx, PipelineSpec spec, RawItem item)
    {
        if (Target(ctx, spec, item) is not { } target) return null;
        var (phase, database, table) = target;
        var inputs = TestInputs.Of(spec, phase, database, table);
        var given = item.Get("Given");
        var expect = item.Get("Expect");
        if (given.Length == 0 || expect.Length == 0)
        {
            ctx.Error("CDP0301", $"CdpTest '{item.Identity}' needs Given (the input rows) and Expect (the expected rows of {table}): inline CSV, or a .csv, .yml or .yaml file.", item.Location);
            return null;
        }

        var givenRows = ReadGiven(ctx, spec, item, inputs);
        var expected = ReadRows(ctx, item, "Expect", allowTables: false)?.Rows;
        if (givenRows is null || expected is null) return null;
        foreach (var g in givenRows)
            if (SourceColumns.Of(spec, g.Database, g.Table) is { } known)
                foreach (var c in g.Rows.Columns.Where(c => !known.Contains(c.Name, StringComparer.OrdinalIgnoreCase)))
                    ctx.Error("CDP0303", $"CdpTest '{item.Identity}': column {c.Name} of the given rows is not a column of {g.Database}.{g.Table} ({string.Join(", ", known)}).", g.Rows.ColumnAt(c.Name));
        if (TestInputs.OutputColumns(spec, phase, database, table) is { } produced)
            ExpectedColumns.Check(ctx.Diagnostics, item.Identity, expected, produced, $"{database}.{table}");
        return new UnitTestSpec
        {
            Name = item.Identity, Phase = phase, Database = database, Table = table, Given = givenRows, Expect = expected, At = item.Location,
        };
    }

    /// <summary>The tested table: one of a testable phase's outputs, its phase named or found from the table.</summary>
    static (Phase, string, string)? Target(ReadContext ctx, PipelineSpec spec, RawItem item)
    {
        var table = item.Get("Table");
        var phaseText = item.Get("Phase");
        Phase[] phases = Testable;
        if (phaseText.Length > 0)
        {
            if (!PhaseOrder.TryParse(phaseText, out var p) || !Testable.Contains(p))
            {
                ctx.Error("CDP0300", $"CdpTest '{item.Identity}' has Phase '{phaseText}': tests run transforms of {string.Join(", ", Testable)}.", item.Location);
                return null;
            }
            phases = [p];
        }
        var candidates = phases.SelectMany(p => TestInputs.Outputs(spec, p).Select(t => (Phase: p, t.Database, t.Table))).ToList();
        var match = candidates.Where(c => c.Table == table).ToList();
        if (table.Length == 0 || match.Count == 0)
        {
            ctx.Error("CDP0300", $"CdpTest '{item.Identity}' {(table.Length == 0 ? "needs a Table" : $"tests Table '{table}', which no transform writes")}: name the output to test, one of {string.Join(", ", candidates.Select(c => c.Table).Distinct())}.", item.Location);
            return null;
        }
        if (match.Count > 1)
        {
            ctx.Error("CDP0300", $"CdpTest '{item.Identity}': table '{table}' is written by {string.Join(" and ", match.Select(m => m.Phase))}; set Phase.", item.Location);
            return null;
        }
        return match[0];
    }

    static List<TestInput>? ReadGiven(ReadContext ctx, PipelineSpec spec, RawItem item, TestInputs.Inputs inputs)
    {
        var parsed = ReadRows(ctx, item, "Given", allowTables: true);
        if (parsed is null) return null;
        if (parsed.Rows is { } rows) return [new TestInput(inputs.Main.Database, inputs.Main.Table, rows)];
        var given = new List<TestInput>();
        foreach (var (table, tableRows, line) in parsed.Tables)
        {
            var input = inputs.All.FirstOrDefault(i => i.Table == table);
            if (input == default)
                ctx.Error("CDP0304", $"CdpTest '{item.Identity}': '{table}' is not an input of {inputs.Main.Table}'s transform; its inputs are {string.Join(", ", inputs.All.Select(i => i.Table))}.", tableRows.At with { Line = line });
            else given.Add(new TestInput(input.Database, input.Table, tableRows));
        }
        return given;
    }

    /// <summary>Given or Expect: a file (.csv, .yml, .yaml) or inline CSV, whose lines are found in the project file.</summary>
    static TestDataReader.Parsed? ReadRows(ReadContext ctx, RawItem item, string metadata, bool allowTables)
    {
        var raw = item.Metadata.TryGetValue(metadata, out var v) ? v : "";
        var value = raw.Trim();
        var what = $"{metadata} of CdpTest '{item.Identity}'";
        var extension = Path.GetExtension(value).ToLowerInvariant();
        if (!value.Contains('\n') && extension is ".csv" or ".yml" or ".yaml")
        {
            var path = Path.GetFullPath(Path.Combine(ctx.Project.ProjectDirectory, value));
            if (!File.Exists(path))
            {
                ctx.Error("CDP0302", $"{what} names '{value}', which does not exist (looked for {path}).", item.Location);
                return null;
            }
            var text = File.ReadAllText(path);
            if (extension == ".csv") return TestDataReader.Csv(ctx, text, path, 1, what) is { } csv ? new(csv, []) : null;
            return TestDataReader.Yaml(ctx, text, path, what, allowTables);
        }
        var rows = TestDataReader.Csv(ctx, raw, item.Location.File, InlineFirstLine(item, raw), what);
        return rows is null ? null : new(rows, []);
    }

    /// <summary>
    /// The project-file line of the inline text's first line: MSBuild gives values, not positions, so the
    /// first non-blank line of the text is looked up in the file from the item's element on.
    /// </summary>
    static int InlineFirstLine(RawItem item, string raw)
    {
        var lines = raw.ReplaceLineEndings("\n").Split('\n');
        var first = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (first < 0 || item.Location.Line <= 0 || !File.Exists(item.Location.File)) return Math.Max(item.Location.Line, 1);
        var file = File.ReadAllLines(item.Location.File);
        var header = lines[first].Trim();
        for (var i = item.Location.Line - 1; i < file.Length && i < item.Location.Line + 500; i++)
            if (file[i].Trim() == header || file[i].TrimEnd().EndsWith(">" + header, StringComparison.Ordinal)) return i + 1 - first;
        return item.Location.Line;
    }
}

using System.Text;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Reads the rows of a CdpTest: CSV (a header line, then one row a line; an empty cell is NULL, "" an empty
/// string; a header cell may carry a type, <c>amount:double</c>) or YAML (a list of mappings, one a row;
/// for a test's inputs also a mapping of table name to such a list). Every row keeps its 1-based line.
/// </summary>
internal static class TestDataReader
{
    /// <summary>The column types a scratch table accepts: names Presto and DuckDB share.</summary>
    public static readonly IReadOnlyList<string> Types = ["varchar", "bigint", "integer", "double", "boolean", "date", "timestamp"];

    public sealed record Parsed(TestRows? Rows, IReadOnlyList<(string Table, TestRows Rows, int Line)> Tables);

    /// <param name="firstLine">The line of the text's first line in <paramref name="file"/> (inline CSV in the project file starts where its element does).</param>
    public static TestRows? Csv(ReadContext ctx, string text, string file, int firstLine, string what)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        TestRows? rows = null;
        List<TestColumn>? columns = null;
        var data = new List<TestRow>();
        var headerLine = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = firstLine + i;
            if (lines[i].Trim().Length == 0) continue;
            var cells = SplitCsv(lines[i]);
            if (cells is null)
            {
                ctx.Error("CDP0304", $"{what}: line {i + 1} has an unclosed quote.", new(file, lineNo, 1));
                return null;
            }
            if (columns is null)
            {
                headerLine = lineNo;
                columns = [];
                foreach (var cell in cells)
                    if (Column(ctx, cell ?? "", new SourceLocation(file, lineNo, 1), what) is { } c)
                    {
                        if (columns.Any(x => x.Name == c.Name)) ctx.Error("CDP0304", $"{what} names column '{c.Name}' twice.", new(file, lineNo, 1));
                        else columns.Add(c);
                    }
                if (columns.Count != cells.Count) return null;
                continue;
            }
            if (cells.Count != columns.Count)
            {
                ctx.Error("CDP0304", $"{what}: this row has {cells.Count} value(s), the header {columns.Count} ({string.Join(", ", columns.Select(c => c.Name))}).", new(file, lineNo, 1));
                continue;
            }
            data.Add(new TestRow(cells, lineNo));
        }
        if (columns is null)
        {
            ctx.Error("CDP0304", $"{what} is empty: write a header line with the column names, then one row a line.", new(file, firstLine, 1));
            return null;
        }
        rows = new TestRows(columns, data, new SourceLocation(file, headerLine, 1))
        {
            ColumnLines = columns.ToDictionary(c => c.Name, _ => headerLine),
        };
        return rows;
    }

    /// <summary>YAML rows, or (when <paramref name="allowTables"/>) a mapping of table names to rows.</summary>
    public static Parsed? Yaml(ReadContext ctx, string text, string file, string what, bool allowTables)
    {
        var (root, problems) = YamlTree.Parse(text);
        if (problems.Count > 0)
        {
            ctx.Error("CDP0304", $"{what} is not valid YAML: {problems[0].Message}", new(file, problems[0].Line, problems[0].Column));
            return null;
        }
        switch (root)
        {
            case YamlTreeSequence rows:
                return Rows(ctx, rows, file, what) is { } r ? new Parsed(r, []) : null;
            case YamlTreeMapping tables when allowTables:
                var list = new List<(string, TestRows, int)>();
                foreach (var (key, value) in tables.Entries)
                {
                    if (value is not YamlTreeSequence seq)
                    {
                        ctx.Error("CDP0304", $"{what}: table '{key.Value}' must hold a list of rows (one mapping of column: value a row).", new(file, key.Line, key.Column));
                        continue;
                    }
                    if (Rows(ctx, seq, file, $"{what}, table {key.Value}") is { } tableRows) list.Add((key.Value, tableRows, key.Line));
                }
                return new Parsed(null, list);
            default:
                ctx.Error("CDP0304", $"{what} must be a YAML list of rows (one mapping of column: value a row){(allowTables ? ", or a mapping of table name to such a list" : "")}.", new(file, root?.Line ?? 1, 1));
                return null;
        }
    }

    static TestRows? Rows(ReadContext ctx, YamlTreeSequence seq, string file, string what)
    {
        var columns = new List<TestColumn>();
        var columnLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var maps = new List<(YamlTreeMapping Map, Dictionary<string, string?> Values)>();
        foreach (var item in seq.Items)
        {
            if (item is not YamlTreeMapping map)
            {
                ctx.Error("CDP0304", $"{what}: each row must be a mapping of column: value.", new(file, item.Line, item.Column));
                return null;
            }
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in map.Entries)
            {
                if (Column(ctx, key.Value, new SourceLocation(file, key.Line, key.Column), what) is not { } c) return null;
                if (value is not YamlTreeScalar s)
                {
                    ctx.Error("CDP0304", $"{what}: the value of {c.Name} must be a single value.", new(file, value.Line, value.Column));
                    return null;
                }
                if (!columnLines.ContainsKey(c.Name)) { columns.Add(c); columnLines[c.Name] = key.Line; }
                values[c.Name] = s.Plain && s.Value is "" or "~" or "null" or "Null" or "NULL" ? null : s.Value;
            }
            maps.Add((map, values));
        }
        // A row that leaves a column out has NULL there, as an INSERT naming fewer columns would.
        var rows = maps.Select(m => new TestRow(columns.Select(c => m.Values.GetValueOrDefault(c.Name)).ToList(), m.Map.Line)).ToList();
        return new TestRows(columns, rows, new SourceLocation(file, seq.Line, 1)) { ColumnLines = columnLines };
    }

    static TestColumn? Column(ReadContext ctx, string cell, SourceLocation at, string what)
    {
        var parts = cell.Trim().Split(':', 2, StringSplitOptions.TrimEntries);
        if (!NameRules.IsSymbol(parts[0]))
        {
            ctx.Error("CDP0304", $"{what}: '{cell.Trim()}' is not a column name (letters, digits, underscore; optionally name:type).", at);
            return null;
        }
        if (parts.Length == 1) return new TestColumn(parts[0]);
        var type = parts[1].ToLowerInvariant();
        if (Types.Contains(type)) return new TestColumn(parts[0], type);
        ctx.Error("CDP0304", $"{what}: column {parts[0]} has type '{parts[1]}'; use one of: {string.Join(", ", Types)}.", at);
        return null;
    }

    /// <summary>One CSV line: cells trimmed; an unquoted empty cell is null. Null when a quote is not closed.</summary>
    static List<string?>? SplitCsv(string line)
    {
        var cells = new List<string?>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t') i++;
            if (i < line.Length && line[i] == '"')
            {
                var text = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length) return null;
                    if (line[i] == '"' && i + 1 < line.Length && line[i + 1] == '"') { text.Append('"'); i += 2; continue; }
                    if (line[i] == '"') { i++; break; }
                    text.Append(line[i++]);
                }
                while (i < line.Length && line[i] != ',') i++;
                cells.Add(text.ToString());
            }
            else
            {
                var end = line.IndexOf(',', i);
                var cell = (end < 0 ? line[i..] : line[i..end]).Trim();
                cells.Add(cell.Length == 0 ? null : cell);
                i = end < 0 ? line.Length : end;
            }
            if (i >= line.Length) return cells;
            i++; // the comma
        }
    }
}

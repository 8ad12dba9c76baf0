using System.Text.RegularExpressions;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Healing;

/// <summary>One line of a file, before and after a fix.</summary>
public sealed record LineEdit(string File, int Line, string Before, string After);

/// <summary>
/// The fix of a wrong column name: every place the user wrote it for this phase — the phase's
/// transform files in both dialects (TransformSql, TransformHiveSql), and the column-valued metadata of the .cdpproj (EmailColumns, KeyColumns, …) —
/// rewritten to the right name, line by line so the rest of each file stays exactly as it was.
/// </summary>
public static class ColumnRename
{
    /// <summary>Metadata whose values are column names (in lists separated by , ; or :).</summary>
    static readonly string[] ColumnMetadata =
        ["EmailColumns", "PhoneColumns", "TimestampColumns", "KeyColumns", "SourceColumns", "Column", "IncrementalField", "PrimaryKey"];

    public static IReadOnlyList<LineEdit> Plan(PipelineSpec spec, Phase phase, string projectFile, string from, string to)
    {
        // A whole name only: 'mobil' must not touch 'standardized_mobil' or 'mobile'.
        var word = new Regex($@"(?<!\w){Regex.Escape(from)}(?!\w)", RegexOptions.IgnoreCase);
        var edits = new List<LineEdit>();
        foreach (var sql in SqlFiles(spec, phase))
            edits.AddRange(EditLines(sql, line => word.Replace(line, to)));
        if (File.Exists(projectFile))
        {
            var attribute = new Regex($@"\b(?<name>{string.Join("|", ColumnMetadata)})=""(?<value>[^""]*)""");
            edits.AddRange(EditLines(projectFile, line => attribute.Replace(line, m =>
                $"{m.Groups["name"].Value}=\"{word.Replace(m.Groups["value"].Value, to)}\"")));
        }
        return edits;
    }

    /// <summary>Applies the edits (planned on the same files just before) and returns the files changed.</summary>
    public static IReadOnlyList<string> Apply(IReadOnlyList<LineEdit> edits)
    {
        foreach (var file in edits.GroupBy(e => e.File))
        {
            var text = File.ReadAllText(file.Key);
            var newline = text.Contains("\r\n") ? "\r\n" : "\n";
            var lines = text.Split(newline);
            foreach (var edit in file)
                if (lines[edit.Line - 1] == edit.Before) lines[edit.Line - 1] = edit.After;
            File.WriteAllText(file.Key, string.Join(newline, lines));
        }
        return edits.Select(e => e.File).Distinct().ToList();
    }

    /// <summary>The edits as a diff a person reads: file:line, then - and + lines.</summary>
    public static string Diff(IReadOnlyList<LineEdit> edits, string projectDirectory) => string.Join("\n", edits.Select(e =>
        $"{Path.GetRelativePath(projectDirectory, e.File)}:{e.Line}\n- {e.Before.Trim()}\n+ {e.After.Trim()}"));

    /// <summary>The spec as it reads after the project-file edits, so the rest of this build uses the fixed names.</summary>
    public static PipelineSpec Patch(PipelineSpec spec, Phase phase, string from, string to)
    {
        string Fix(string column) => string.Equals(column, from, StringComparison.OrdinalIgnoreCase) ? to : column;
        IReadOnlyList<string> FixAll(IReadOnlyList<string> columns) => columns.Select(Fix).ToList();
        return phase switch
        {
            Phase.Staging => spec with
            {
                Staging = spec.Staging.Select(t => t with
                {
                    EmailColumns = FixAll(t.EmailColumns), PhoneColumns = FixAll(t.PhoneColumns), TimestampColumns = FixAll(t.TimestampColumns),
                }).ToList(),
            },
            Phase.Unification => spec with
            {
                Unifications = spec.Unifications.Select(u => u with
                {
                    Tables = u.Tables.Select(t => t with { KeyColumns = t.KeyColumns.Select(k => k with { Column = Fix(k.Column) }).ToList() }).ToList(),
                    MasterAttributes = u.MasterAttributes.Select(a => a with { Sources = a.Sources.Select(c => c with { Column = Fix(c.Column) }).ToList() }).ToList(),
                }).ToList(),
            },
            _ => spec,
        };
    }

    static IEnumerable<string> SqlFiles(PipelineSpec spec, Phase phase) => phase == Phase.Staging
        ? Configuration.UserTransform.AllFiles(spec).Where(File.Exists)
        : [];

    static IEnumerable<LineEdit> EditLines(string file, Func<string, string> edit)
    {
        var lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var after = edit(lines[i]);
            if (after != lines[i]) yield return new LineEdit(file, i + 1, lines[i], after);
        }
    }
}

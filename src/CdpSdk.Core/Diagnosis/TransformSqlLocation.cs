using System.Text.RegularExpressions;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// Where in a user's transform file a failed staging query broke, so the error points at
/// sql/&lt;file&gt;.sql and its line instead of the generated task: the file the failing rendering embedded, the
/// TransformHiveSql one when TD ran the Hive rendering, else the TransformSql (Presto) one. The generated query copies the user's
/// SELECT after the generated cleaning, so an engine's line (Presto's "line 14:3", DuckDB's "LINE 14:")
/// maps back by that offset; without a line, the token the engine stopped at (DuckDB's 'at or near "FORM"')
/// is looked up in the user's file, or the file's end for an incomplete statement.
/// </summary>
public static partial class TransformSqlLocation
{
    /// <summary>The user's file and line for a staging task's SQL syntax failure, or null when it is not one.</summary>
    public static SourceLocation? Find(PipelineSpec spec, string taskName, string error)
    {
        if (!SyntaxFailure().IsMatch(error)) return null;
        var table = taskName.Split('+', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        var rendering = SqlDialects.For(spec.Settings);
        if (spec.Staging.FirstOrDefault(s => s.Output == table && UserTransform.FileFor(s, rendering).Length > 0) is not { } staging) return null;
        var userPath = Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, UserTransform.FileFor(staging, rendering)));
        var generatedPath = Path.Combine(spec.Settings.GeneratedDir, Phase.Staging.FolderName(), "queries", staging.Output + "_transform.sql");
        if (!File.Exists(userPath)) return null;
        var user = File.ReadAllText(userPath).ReplaceLineEndings("\n");
        var body = UserTransform.Body(user);
        var bodyStart = user.IndexOf(body, StringComparison.Ordinal);
        var userStart = LineOf(user, bodyStart);

        if (EngineLine().Match(error) is { Success: true } at && File.Exists(generatedPath))
        {
            var generated = File.ReadAllText(generatedPath).ReplaceLineEndings("\n");
            var bodyAt = generated.IndexOf(body, StringComparison.Ordinal);
            var line = int.Parse(at.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (bodyAt >= 0 && line - LineOf(generated, bodyAt) is >= 0 and var offset)
                return new SourceLocation(userPath, userStart + offset, at.Groups["col"].Success ? int.Parse(at.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            return new SourceLocation(userPath, 1, 1); // the error is in the generated cleaning, before the user's SELECT
        }
        if (NearToken().Match(error) is { Success: true } near)
        {
            var token = Regex.Escape(near.Groups["token"].Value);
            var hit = Regex.Match(body, $@"(?<![\w]){token}(?![\w])", RegexOptions.IgnoreCase);
            if (hit.Success)
            {
                var index = bodyStart + hit.Index;
                return new SourceLocation(userPath, LineOf(user, index), index - user.LastIndexOf('\n', Math.Max(0, index - 1)));
            }
        }
        // An incomplete statement ends where the file does.
        return new SourceLocation(userPath, userStart + body.Count(c => c == '\n'), 0);
    }

    static int LineOf(string text, int index) => index <= 0 ? 1 : text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"syntax error|incomplete input|mismatched input|extraneous input|Parser Error|ParseException|no viable alternative", RegexOptions.IgnoreCase)]
    private static partial Regex SyntaxFailure();

    [GeneratedRegex(@"\bline (?<line>\d+):(?<col>\d+)?|\bLINE (?<line>\d+):", RegexOptions.IgnoreCase)]
    private static partial Regex EngineLine();

    [GeneratedRegex(@"at or near ""(?<token>[^""]+)""|near ""(?<token>[^""]+)"": syntax error")]
    private static partial Regex NearToken();
}

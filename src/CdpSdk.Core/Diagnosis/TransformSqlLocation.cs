using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Diagnosis;

/// <summary>
/// Where in a user's transform file a failed staging query broke, so the error points at
/// sql/&lt;file&gt;.sql and its line instead of the generated task: the file the failing rendering embedded, the
/// TransformHiveSql one when TD ran the Hive rendering, else the TransformSql (Presto) one. The generated query
/// copies the user's SELECT after the generated cleaning, so the engine's line (<see cref="SqlSyntaxError.Line"/>,
/// read by the target's adapter from Presto's "line 14:3" or DuckDB's "LINE 14:") maps back by that offset;
/// without a line, the token the engine stopped at is looked up in the user's file, or the file's end for an
/// incomplete statement. Engine wording is never read here.
/// </summary>
public static class TransformSqlLocation
{
    /// <summary>The user's file and line for a staging task's SQL syntax failure.</summary>
    public static SourceLocation? Find(PipelineSpec spec, string taskName, SqlSyntaxError syntax)
    {
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

        if (syntax.Line is { } line && File.Exists(generatedPath))
        {
            var generated = File.ReadAllText(generatedPath).ReplaceLineEndings("\n");
            var bodyAt = generated.IndexOf(body, StringComparison.Ordinal);
            if (bodyAt >= 0 && line - LineOf(generated, bodyAt) is >= 0 and var offset)
                return new SourceLocation(userPath, userStart + offset, syntax.Column ?? 0);
            return new SourceLocation(userPath, 1, 1); // the error is in the generated cleaning, before the user's SELECT
        }
        if (syntax.Token is { Length: > 0 } token && WholeWord(body, token) is >= 0 and var at)
        {
            var index = bodyStart + at;
            return new SourceLocation(userPath, LineOf(user, index), index - user.LastIndexOf('\n', Math.Max(0, index - 1)));
        }
        // An incomplete statement ends where the file does.
        return new SourceLocation(userPath, userStart + body.Count(c => c == '\n'), 0);
    }

    static int LineOf(string text, int index) => index <= 0 ? 1 : text.AsSpan(0, index).Count('\n') + 1;

    /// <summary>Where <paramref name="token"/> first stands as a whole word in the user's SQL (case-insensitive), or -1.</summary>
    static int WholeWord(string sql, string token)
    {
        for (var i = sql.IndexOf(token, StringComparison.OrdinalIgnoreCase); i >= 0; i = sql.IndexOf(token, i + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = i == 0 || !IsWord(sql[i - 1]);
            var after = i + token.Length >= sql.Length || !IsWord(sql[i + token.Length]);
            if (before && after) return i;
        }
        return -1;
    }

    static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';
}

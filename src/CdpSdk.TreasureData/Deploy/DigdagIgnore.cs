using System.Text.RegularExpressions;

namespace CdpSdk.TreasureData.Deploy;

/// <summary>
/// <c>.digdagignore</c>: one glob per line (gitignore style: '#' comments, '*' within a name, '**' across
/// folders, a leading '/' anchors at the root, a trailing '/' matches folders only, a pattern without '/'
/// matches a name at any depth).
/// </summary>
public sealed class DigdagIgnore
{
    readonly List<(Regex Pattern, bool DirectoryOnly)> _rules = [];

    public static DigdagIgnore Load(string root)
    {
        var ignore = new DigdagIgnore();
        var file = Path.Combine(root, ".digdagignore");
        if (File.Exists(file))
            foreach (var line in File.ReadAllLines(file)) ignore.Add(line);
        return ignore;
    }

    public void Add(string line)
    {
        var glob = line.Trim();
        if (glob.Length == 0 || glob.StartsWith('#')) return;
        var directoryOnly = glob.EndsWith('/');
        glob = glob.TrimEnd('/');
        var anchored = glob.StartsWith('/') || glob.Contains('/');
        glob = glob.TrimStart('/');
        var body = Regex.Escape(glob).Replace(@"\*\*/", "(.*/)?").Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]");
        var pattern = (anchored ? "^" : "(^|/)") + body + "(/.*)?$";
        _rules.Add((new Regex(pattern, RegexOptions.CultureInvariant), directoryOnly));
    }

    /// <summary>Whether a project-relative path ('/'-separated; folders end with '/') is excluded.</summary>
    public bool Ignores(string relativePath)
    {
        var isDirectory = relativePath.EndsWith('/');
        var path = relativePath.TrimEnd('/');
        return _rules.Any(r => (!r.DirectoryOnly || isDirectory) && r.Pattern.IsMatch(path));
    }
}

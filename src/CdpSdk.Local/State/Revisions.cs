using System.Security.Cryptography;
using System.Text;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Local.Warehouse;

namespace CdpSdk.Local.State;

/// <summary>Deployed projects, stored file by file; a revision is named by the hash of its content.</summary>
internal sealed class Revisions(SystemDb db)
{
    public Revision Deploy(string projectName, IReadOnlyDictionary<string, string> files)
    {
        var name = ContentHash(files);
        using var connection = db.Open();
        using var tx = connection.BeginTransaction();
        Sql.Execute(connection, "INSERT OR IGNORE INTO _cdp_system.projects (name) VALUES ($n)", ("$n", projectName));
        var projectId = Convert.ToInt64(Sql.Scalar(connection, "SELECT id FROM _cdp_system.projects WHERE name = $n", ("$n", projectName)));
        var exists = Convert.ToInt64(Sql.Scalar(connection, "SELECT count(*) FROM _cdp_system.revisions WHERE project_id = $p AND name = $r", ("$p", projectId), ("$r", name))) > 0;
        if (!exists)
        {
            Sql.Execute(connection, "INSERT INTO _cdp_system.revisions (project_id, name, created_at) VALUES ($p, $r, $t)", ("$p", projectId), ("$r", name), ("$t", SystemDb.Now()));
            foreach (var (path, content) in files)
                Sql.Execute(connection, "INSERT INTO _cdp_system.revision_files (project_id, revision, path, content) VALUES ($p, $r, $path, $c)",
                    ("$p", projectId), ("$r", name), ("$path", path), ("$c", content));
        }
        tx.Commit();
        return new Revision(projectId.ToString(System.Globalization.CultureInfo.InvariantCulture), projectName, name);
    }

    public IReadOnlyDictionary<string, string> Files(Revision revision)
    {
        using var connection = db.Open();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Sql.Read(connection, "SELECT path, content FROM _cdp_system.revision_files WHERE project_id = $p AND revision = $r ORDER BY path",
            ("$p", long.Parse(revision.ProjectId, System.Globalization.CultureInfo.InvariantCulture)), ("$r", revision.Name)))
            files[(string)row[0]!] = (string)row[1]!;
        if (files.Count == 0)
            throw new CdpException(LocalErrors.NotDeployed, $"Revision '{revision.Name}' of project '{revision.ProjectName}' is not deployed to the Local warehouse; run the Deploy step first.");
        return files;
    }

    /// <summary>SHA-256 over the sorted paths and contents, so the same files always name the same revision.</summary>
    static string ContentHash(IReadOnlyDictionary<string, string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(path + "\0"));
            sha.AppendData(Encoding.UTF8.GetBytes(content + "\0"));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..32];
    }
}

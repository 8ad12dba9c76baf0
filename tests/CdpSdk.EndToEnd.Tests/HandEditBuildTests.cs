using System.Text.Json.Nodes;

namespace CdpSdk.EndToEnd.Tests;

/// <summary>
/// A generated query edited by hand after a full pipeline, through the real 'dotnet build': the edit alone
/// makes Staging's Deploy run, which stops with CDP6111; the approved rerun backs the edit up, regenerates
/// the file and completes.
/// </summary>
[TestFixture]
public sealed class HandEditBuildTests
{
    [Test]
    public void HandEditedGeneratedQueryStopsTheBuildUntilApprovedThenIsBackedUpAndRegenerated()
    {
        var dir = PackedSdk.CopySample("retail");
        var project = Path.Combine(dir, "retail.cdpproj");
        var first = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(first.ExitCode, Is.Zero, first.ToString());

        var query = Path.Combine(dir, "obj", "cdp", "workflows", "staging", "queries", "pos_members_transform.sql");
        var generated = File.ReadAllText(query);
        var edited = generated.Replace("lower(trim(", "upper(trim(");
        Assert.That(edited, Is.Not.EqualTo(generated), "the generated pos_members query changed shape; update this test");
        File.WriteAllText(query, edited);

        // Nothing in the .cdpproj changed: only the edited file makes Staging's Deploy run, and it stops there.
        var stopped = DotNet.Build(dir, project, "-t:CdpPipeline");
        Assert.That(stopped.ExitCode, Is.Not.Zero, stopped.ToString());
        Assert.That(stopped.Output, Does.Contain("error CDP6111").And.Contain("staging/queries/pos_members_transform.sql")
            .And.Contain("-p:CdpApprove=CDP6111").And.Contain("-p:CdpHandEditedFiles=Keep"), stopped.ToString());
        Assert.That(File.ReadAllText(query), Is.EqualTo(edited), "nothing is overwritten without a decision");

        var approved = DotNet.Build(dir, project, "-t:CdpPipeline", "-p:CdpApprove=CDP6111");
        Assert.That(approved.ExitCode, Is.Zero, approved.ToString());
        Assert.That(approved.Output, Does.Contain("warning CDP6111"), approved.ToString());
        Assert.That(File.ReadAllText(query), Is.EqualTo(generated), "regenerated before Deploy");

        var backup = Directory.GetDirectories(Path.Combine(dir, "obj", "cdp", "backups")).Single();
        Assert.That(File.ReadAllText(Path.Combine(backup, "files", "0000")), Is.EqualTo(edited), "the backup holds the edit");
        var decision = File.ReadAllLines(Path.Combine(dir, "obj", "cdp", "run_log.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Single(e => (string?)e["event"] == "decision" && (string?)e["decision"] == "regenerate_hand_edits");
        Assert.That(((string?)decision["phase"], (string?)decision["step"], (string?)decision["backup"], (string?)decision["reason"]),
            Is.EqualTo(("Staging", "Deploy", Path.GetFileName(backup), "-p:CdpApprove=CDP6111")));
    }
}

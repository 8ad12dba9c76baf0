using System.Text;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// A CdpObject's file settings for real-world exports: Delimiter, Quote and Encoding reach the load config
/// TD's parser reads and the Local loader alike; AcceptNewColumns lets an added column widen the table.
/// </summary>
public sealed class FileFormatSettingsTests : RetailSampleTest
{
    const string Members = "data/pos/members.csv";

    [Test]
    public async Task ASemicolonWindows1252ExportLoadsWithItsAccentsIntact()
    {
        var path = Path.Combine(Sample.Root, Members);
        var lines = File.ReadAllLines(path).Select(l => l.Replace(',', ';')).Append("M9010;jose@example.com;555 000 0010;José Núñez;2025-01-05 00:00:00");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", Encoding.GetEncoding(1252));
        var spec = Spec("Delimiter=;", "Encoding=windows-1252");

        var config = WorkflowGenerator.Generate(spec, Phase.Ingestion).Files.Single(f => f.RelativePath == "config/pos_members_load.yml").Content;
        Assert.That(config, Does.Contain("charset: windows-1252").And.Contain("delimiter: ';'"));
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);
        var name = await backend.QueryAsync("retail_src", "SELECT name FROM pos_members WHERE member_id = 'M9010'", CancellationToken.None);
        Assert.That(name.Scalar, Is.EqualTo("José Núñez"));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(69));
    }

    [Test]
    public async Task AByteTheDeclaredEncodingDoesNotDefineIsACodedErrorNotAReplacementCharacter()
    {
        var path = Path.Combine(Sample.Root, Members);
        // 0x81 opens a two-byte Shift_JIS character; a space cannot close it.
        using (var file = File.Open(path, FileMode.Append)) file.Write([.. "M9011,x@example.com,555,Bad "u8, 0x81, 0x20, .. ",2025-01-05 00:00:00\n"u8]);
        var spec = Spec("Encoding=Shift_JIS");
        using var backend = Sample.Backend(spec);
        var project = WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var dir = Path.Combine(spec.Settings.GeneratedDir, "ingestion");
        ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "pos_ingest_inc", RetailSample.SessionTime, CancellationToken.None);
        var status = await backend.GetStatusAsync(session, CancellationToken.None);

        Assert.That(status.State, Is.EqualTo(RunState.Error));
        Assert.That(status.Tasks.Single(t => t.State == "error").Error, Does.StartWith("CDP3020:").And.Contain("not Shift_JIS text (0x81").And.Contain(Members));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'retail_src' AND table_name = 'pos_members'"), Is.Zero, "nothing of the file was loaded");
    }

    [Test]
    public async Task AnAddedColumnWidensTheTableWhenAcceptNewColumnsIsSet()
    {
        var spec = Spec("AcceptNewColumns=true");
        Assert.That(WorkflowGenerator.Generate(spec, Phase.Ingestion).Files.Single(f => f.RelativePath == "config/pos_datasources.yml").Content,
            Does.Contain("accept_new_columns: true"));
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);

        var path = Path.Combine(Sample.Root, Members);
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, [lines[0] + ",tier", .. lines.Skip(1).Select(l => l + ",silver"), "M9012,tier@example.com,555 000 0012,Tier Member,2025-01-06 00:00:00,gold"]);
        await Sample.RunPhase(spec, Phase.Ingestion, backend, RetailSample.SessionTime.AddDays(1));

        var tiers = await backend.QueryAsync("retail_src", "SELECT member_id, tier FROM pos_members WHERE member_id IN ('M9012', (SELECT min(member_id) FROM pos_members))", CancellationToken.None);
        Assert.That(tiers.Rows.ToDictionary(r => (string)r[0]!, r => r[1]), Does.ContainValue("gold").And.ContainValue(null), "the new row has its tier, the older rows NULL");
    }

    [Test]
    public async Task AFileWithoutAHeaderLineIsReadWithTheDeclaredColumns()
    {
        var path = Path.Combine(Sample.Root, Members);
        var lines = File.ReadAllLines(path);
        File.WriteAllLines(path, lines.Skip(1));
        var spec = Spec("Columns=" + lines[0]);

        Assert.That(WorkflowGenerator.Generate(spec, Phase.Ingestion).Files.Single(f => f.RelativePath == "config/pos_members_load.yml").Content,
            Does.Contain("skip_header_lines: 0").And.Contain("- name: member_id\n        type: string"));
        using var backend = Sample.Backend(spec);
        await Sample.RunPhase(spec, Phase.Ingestion, backend);
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(68), "every line is a member, the first one too");

        // A line with another number of fields than Columns names is still a coded error at its line.
        File.AppendAllText(path, "M9013,short@example.com\n");
        var project = WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var dir = Path.Combine(spec.Settings.GeneratedDir, "ingestion");
        ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
        var session = await backend.StartAsync(revision, "pos_ingest_inc", RetailSample.SessionTime.AddDays(1), CancellationToken.None);
        var status = await backend.GetStatusAsync(session, CancellationToken.None);
        Assert.That(status.Tasks.Single(t => t.State == "error").Error, Does.StartWith("CDP3016:").And.Contain($"{Members}, line 69:"));
    }

    PipelineSpec Spec(params string[] metadata) => Sample.Spec((items, _) =>
    {
        var members = items.Single(i => i.ItemType == "CdpObject" && i.Identity == "members");
        var extra = new Dictionary<string, string>(members.Metadata);
        foreach (var m in metadata) extra[m.Split('=')[0]] = m[(m.IndexOf('=') + 1)..];
        items[items.IndexOf(members)] = members with { Metadata = extra };
    });
}

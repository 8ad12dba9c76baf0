using System.Text;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// After a good load of the sample's members, a broken data/pos/members.csv (each file also holding a row
/// newer than the watermark, so a lenient loader would load something) fails the load with its code at
/// the file and 1-based line, and leaves the table and the ingestion_log exactly as the good run left them.
/// </summary>
public sealed class MalformedDataFileTests : RetailSampleTest
{
    const string Members = "data/pos/members.csv";
    const string Header = "member_id,email,mobile,name,updated_at";
    const string NewRow = "M9001,new.member@example.com,555 000 0001,New Member,2025-01-01 00:00:00";

    public sealed record Case(string Name, Func<string[], byte[]> Content, string Code, int Line, string Says)
    {
        public override string ToString() => Name;
    }

    static byte[] Utf8(IEnumerable<string> lines) => Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");

    static byte[] Replace(string[] lines, int line, string text) => Utf8(lines.Select((l, i) => i == line - 1 ? text : l));

    public static IEnumerable<Case> Cases() =>
    [
        new("unterminated quote at line 5", l => Replace(l, 5, "M9002,\"open.quote@example.com,555,Open Quote,2025-01-02 00:00:00"), "CDP3015", 5, "never closed"),
        new("stray quote inside a field", l => Replace(l, 7, "M9003,stray\"quote@example.com,555,Stray,2025-01-02 00:00:00"), "CDP3015", 7, "quote"),
        new("incremental field renamed in the header", l => Replace(l, 1, Header.Replace("updated_at", "updatedat")), "CDP3018", 1, "'updatedat' looks like 'updated_at'"),
        new("primary key renamed in the header", l => Replace(l, 1, Header.Replace("member_id", "memberid")), "CDP3018", 1, "'member_id'"),
        new("row with an extra field", l => Utf8([.. l, NewRow + ",extra"]), "CDP3016", 70, "6 fields, the header has 5"),
        new("row with a missing field", l => Utf8([.. l, "M9004,short@example.com"]), "CDP3016", 70, "2 fields"),
        new("duplicated header name", l => Replace(l, 1, "member_id,email,Email,name,updated_at"), "CDP3017", 1, "'Email' twice"),
        new("header with an empty name", l => Replace(l, 1, "member_id,email,,name,updated_at"), "CDP3017", 1, "field 3 of the header has no column name"),
        new("only empty lines", _ => "\n\n\n"u8.ToArray(), "CDP3017", 1, "no header line"),
        new("a 10 MB single line", _ => Encoding.ASCII.GetBytes(new string('x', 10 << 20)), "CDP3017", 1, "characters long"),
        new("64 KB of random bytes", _ => RandomBytes(64 << 10), "CDP3020", 1, "save it as UTF-8 text"),
        new("Latin-1 byte in a new row", l => [.. Utf8(l), .. "M9005,jos"u8, 0xE9, .. "@example.com,555,Jose,2025-01-03 00:00:00\n"u8], "CDP3020", 70, "0xE9"),
        new("NUL bytes in a row", l => [.. Utf8(l), .. "M9006,a@example.com,555,"u8, 0, 0, .. ",2025-01-03 00:00:00\n"u8], "CDP3020", 70, "binary"),
        new("UTF-16 file", l => Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(string.Join("\n", l))).ToArray(), "CDP3020", 1, "UTF-16"),
        new("column added to the header", l => Utf8([Header + ",tier", .. l.Skip(1).Select(r => r + ",gold")]), "CDP3019", 1, "new in the file: tier"),
        new("column dropped from the header", l => Utf8(l.Select(r => string.Join(",", r.Split(',').Where((_, j) => j != 2)))), "CDP3019", 1, "missing from the file: mobile"),
    ];

    static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(12).NextBytes(bytes);
        return bytes;
    }

    [TestCaseSource(nameof(Cases))]
    public async Task ABrokenFileFailsTheLoadAtItsLineAndChangesNoData(Case c)
    {
        var (backend, revision) = await LoadMembersOnce();
        using (backend)
        {
            var before = await Snapshot(backend);
            var path = Path.Combine(Sample.Root, Members);
            File.WriteAllBytes(path, c.Content(File.ReadAllLines(path)));

            var status = await Start(backend, revision, RetailSample.SessionTime.AddDays(1));

            Assert.That(status.State, Is.EqualTo(RunState.Error));
            var failed = status.Tasks.Single(t => t.State == "error");
            Assert.That(failed.FullName, Is.EqualTo("+pos_ingest_inc+load_members+load"));
            Assert.That(failed.Error, Does.StartWith(c.Code + ":").And.Contain($"{Members}, line {c.Line}:").And.Contain(c.Says).And.Contain("Nothing of the file was loaded"));
            Assert.That(failed.Error, Does.Not.Contain("   at "));
            Assert.That(await Snapshot(backend), Is.EqualTo(before), "the table and the ingestion_log are as the good run left them");
        }
    }

    [Test]
    public async Task AnEmptyFileWarnsAndLeavesTheTableAsItWas()
    {
        var (backend, revision) = await LoadMembersOnce();
        using (backend)
        {
            var before = await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members");
            File.WriteAllBytes(Path.Combine(Sample.Root, Members), []);

            var status = await Start(backend, revision, RetailSample.SessionTime.AddDays(1));

            Assert.That(status.State, Is.EqualTo(RunState.Success));
            var warning = Sample.Log.Diagnostics.Single(d => d.Code == "CDP3021");
            Assert.That(warning.Message, Does.Contain(Members).And.Contain("0 bytes"));
            Assert.That(warning.Location.File, Is.EqualTo(Members));
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(before));
        }
    }

    [Test]
    public async Task AHeaderOnlyFileLoadsNoRowsAndSucceedsWithoutAWarning()
    {
        var (backend, revision) = await LoadMembersOnce();
        using (backend)
        {
            var before = await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members");
            File.WriteAllText(Path.Combine(Sample.Root, Members), Header + "\n");

            var status = await Start(backend, revision, RetailSample.SessionTime.AddDays(1));

            Assert.That(status.State, Is.EqualTo(RunState.Success));
            Assert.That(Sample.Log.Diagnostics, Is.Empty);
            Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(before));
            Assert.That(await RetailSample.Count(backend, "retail_src",
                $"SELECT records_loaded FROM ingestion_log WHERE \"time\" = {RetailSample.SessionTime.AddDays(1).ToUnixTimeSeconds()}"), Is.Zero);
        }
    }

    [Test]
    public async Task AQuotedFieldMayHoldTheDelimiterAndALineBreak()
    {
        var (backend, revision) = await LoadMembersOnce();
        using (backend)
        {
            File.AppendAllText(Path.Combine(Sample.Root, Members), "M9007,q@example.com,\"555,\n000\",\"Quoted, Name\",2025-01-04 00:00:00\n");

            var status = await Start(backend, revision, RetailSample.SessionTime.AddDays(1));

            Assert.That(status.State, Is.EqualTo(RunState.Success));
            var row = await backend.QueryAsync("retail_src", "SELECT mobile, name FROM pos_members WHERE member_id = 'M9007'", CancellationToken.None);
            Assert.That(row.Rows.Single(), Is.EqualTo(new object?[] { "555,\n000", "Quoted, Name" }));
        }
    }

    /// <summary>The sample's members loaded by the generated pos_ingest_inc workflow at the sample's session time.</summary>
    async Task<(LocalBackend Backend, Revision Revision)> LoadMembersOnce()
    {
        var spec = Sample.Spec();
        var backend = Sample.Backend(spec);
        var project = WorkflowGenerator.Generate(spec, Phase.Ingestion);
        var dir = Path.Combine(spec.Settings.GeneratedDir, "ingestion");
        ProjectWriter.Write(project, dir);
        var revision = await backend.DeployAsync(project.ProjectName, dir, CancellationToken.None);
        Assert.That((await Start(backend, revision, RetailSample.SessionTime)).State, Is.EqualTo(RunState.Success));
        Assert.That(await RetailSample.Count(backend, "retail_src", "SELECT count(*) FROM pos_members"), Is.EqualTo(68));
        return (backend, revision);
    }

    static async Task<RunStatus> Start(LocalBackend backend, Revision revision, DateTimeOffset sessionTime)
    {
        var session = await backend.StartAsync(revision, "pos_ingest_inc", sessionTime, CancellationToken.None);
        return await backend.GetStatusAsync(session, CancellationToken.None);
    }

    /// <summary>Every row of pos_members and of the ingestion_log, as text, in a fixed order.</summary>
    static async Task<string> Snapshot(LocalBackend backend)
    {
        var members = await backend.QueryAsync("retail_src", "SELECT * FROM pos_members ORDER BY member_id", CancellationToken.None);
        var log = await backend.QueryAsync("retail_src", "SELECT * FROM ingestion_log ORDER BY 1, 2, 3", CancellationToken.None);
        return string.Join("\n", members.Rows.Concat(log.Rows).Select(r => string.Join("|", r)));
    }
}

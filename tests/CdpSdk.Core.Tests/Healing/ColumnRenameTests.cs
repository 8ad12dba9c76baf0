using CdpSdk.Core.Healing;
using CdpSdk.Core.Model;
using CdpSdk.Core.Tests.Configuration;

namespace CdpSdk.Core.Tests.Healing;

/// <summary>A wrong column name is corrected where the user wrote it, as whole names only, line by line.</summary>
public sealed class ColumnRenameTests
{
    SampleFolder folder = null!;

    [SetUp] public void CreateFolder() => folder = new SampleFolder();
    [TearDown] public void DeleteFolder() => folder.Dispose();

    PipelineSpec Spec()
    {
        if (!File.Exists(Path.Combine(folder.Path, "sql", "web.sql"))) folder.Write("sql/web.sql", "SELECT * FROM cleaned\n");
        return Read();
    }

    PipelineSpec Read() => folder.Retail().WithoutItems("CdpStaging")
        .Item("CdpStaging", "pos_members", "EmailColumns=email", "PhoneColumns=mobil")
        .Item("CdpStaging", "web_signups", "EmailColumns=email", "TransformSql=sql/web.sql")
        .Read().Spec!;

    [Test]
    public void PlansWholeNameEditsInTheTransformSqlAndTheProjectFile()
    {
        var sql = folder.Write("sql/web.sql", "SELECT *,\r\n  mobil AS m, standardized_mobil, mobile\r\nFROM cleaned\r\n");
        var project = folder.Write("retail.cdpproj", "<Project Sdk=\"CdpSdk\">\n  <ItemGroup>\n    <CdpStaging Include=\"pos_members\" EmailColumns=\"email\" PhoneColumns=\"mobil\" />\n    <!-- mobil in a comment stays -->\n  </ItemGroup>\n</Project>\n");

        var edits = ColumnRename.Plan(Spec(), Phase.Staging, project, "mobil", "mobile");

        Assert.That(edits.Select(e => (Path.GetFileName(e.File), e.Line, e.After.Trim())), Is.EqualTo(new[]
        {
            ("web.sql", 2, "mobile AS m, standardized_mobil, mobile"),
            ("retail.cdpproj", 3, "<CdpStaging Include=\"pos_members\" EmailColumns=\"email\" PhoneColumns=\"mobile\" />"),
        }));
        Assert.That(ColumnRename.Diff(edits, folder.Path), Does.StartWith($"sql{Path.DirectorySeparatorChar}web.sql:2\n- mobil AS m"));

        ColumnRename.Apply(edits);
        Assert.That(File.ReadAllText(sql), Is.EqualTo("SELECT *,\r\n  mobile AS m, standardized_mobil, mobile\r\nFROM cleaned\r\n"), "line endings and other lines are kept");
        Assert.That(File.ReadAllText(project), Does.Contain("PhoneColumns=\"mobile\"").And.Contain("mobil in a comment stays"));
    }

    [Test]
    public void AHiveProjectsTransformIsCorrectedInBothDialectsFiles()
    {
        folder.Write("sql/web.sql", "SELECT *, mobil AS m\nFROM cleaned\n");
        folder.Write("sql/web.hive.sql", "SELECT *, `mobil` AS `m`\nFROM cleaned\n");
        var spec = folder.Retail().Property("CdpSqlEngine", "hive").WithoutItems("CdpStaging")
            .Item("CdpStaging", "pos_members", "EmailColumns=email", "PhoneColumns=mobile")
            .Item("CdpStaging", "web_signups", "EmailColumns=email", "TransformSql=sql/web.sql", "TransformHiveSql=sql/web.hive.sql")
            .Read().Spec!;

        var edits = ColumnRename.Plan(spec, Phase.Staging, Path.Combine(folder.Path, "none.cdpproj"), "mobil", "mobile");

        Assert.That(edits.Select(e => (Path.GetFileName(e.File), e.Line, e.After)), Is.EquivalentTo(new[]
        {
            ("web.sql", 1, "SELECT *, mobile AS m"),
            ("web.hive.sql", 1, "SELECT *, `mobile` AS `m`"),
        }));
    }

    [Test]
    public void PatchCorrectsTheSpecOfThePhaseOnly()
    {
        var patched = ColumnRename.Patch(Spec(), Phase.Staging, "mobil", "mobile");
        Assert.That(patched.Staging.Single(s => s.Output == "pos_members").PhoneColumns, Is.EqualTo(new[] { "mobile" }));
        Assert.That(ColumnRename.Patch(Spec(), Phase.HistUnion, "mobil", "mobile").Staging.Single(s => s.Output == "pos_members").PhoneColumns, Is.EqualTo(new[] { "mobil" }));
    }

    [Test]
    public void ProjectFixesCorrectAStaleReadOnlyWhileTheProjectIsAsTheFixLeftIt()
    {
        var obj = Path.Combine(folder.Path, "obj", "cdp");
        var project = folder.Write("retail.cdpproj", "<Project PhoneColumns=\"mobile\" />\n");
        ProjectFixes.Record(obj, project, new ProjectFix(Phase.Staging, "mobil", "mobile", Core.Fixes.FileBackups.Hash(project)));

        Assert.That(ProjectFixes.ApplyTo(Spec(), obj, project).Staging.Single(s => s.Output == "pos_members").PhoneColumns, Is.EqualTo(new[] { "mobile" }),
            "MSBuild evaluated the project before the fix: the spec read from it is corrected");

        File.WriteAllText(project, "<Project PhoneColumns=\"mobil\" />\n");
        Assert.That(ProjectFixes.ApplyTo(Spec(), obj, project).Staging.Single(s => s.Output == "pos_members").PhoneColumns, Is.EqualTo(new[] { "mobil" }),
            "the user edited the project since: what MSBuild read wins");
        Assert.That(File.Exists(Path.Combine(obj, "project_fixes.json")), Is.False);
    }
}

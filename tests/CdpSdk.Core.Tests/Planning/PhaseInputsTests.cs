using CdpSdk.Core.Configuration;
using CdpSdk.Core.Model;
using CdpSdk.Core.Planning;
using CdpSdk.Core.Tests.Configuration;

namespace CdpSdk.Core.Tests.Planning;

/// <summary>A phase's inputs record: settings named as the user wrote them, files by content, and the plan's reasons from two records.</summary>
public sealed class PhaseInputsTests
{
    static PipelineSpec Spec(ProjectBuilder project) => project.Read().Spec ?? throw new InvalidOperationException("the retail project should read");

    [Test]
    public void SettingsAreNamedByPropertyAndItemAndFilesByTheirContent()
    {
        using var folder = new SampleFolder();
        var inputs = PhaseInputs.Of(Spec(folder.Retail()), Phase.Staging, "1.0.0");
        Assert.That(inputs.Settings["CdpClient"], Is.EqualTo("retail"));
        Assert.That(inputs.Settings["CdpStaging(shopify_customers).TimestampColumns"], Is.EqualTo("[\"created_at\",\"updated_at\"]"));
        Assert.That(inputs.Settings["SDK version"], Is.EqualTo("1.0.0"));
        Assert.That(inputs.Settings.Keys, Has.None.Contains("|"), "no file fingerprint among the settings");

        var ingestion = PhaseInputs.Of(Spec(folder.Retail()), Phase.Ingestion, "1.0.0");
        Assert.That(ingestion.Files.Keys, Does.Contain("data/pos/members.csv"));
        var before = ingestion.Files["data/pos/members.csv"];
        File.SetLastWriteTimeUtc(Path.Combine(folder.Path, "data/pos/members.csv"), DateTime.UtcNow.AddDays(1));
        Assert.That(PhaseInputs.Of(Spec(folder.Retail()), Phase.Ingestion, "1.0.0").Files["data/pos/members.csv"], Is.EqualTo(before), "a touched file has the same content");
        folder.Write("data/pos/members.csv", "id,email,updated_at\n1,a@example.com,2024-01-01\n");
        Assert.That(PhaseInputs.Of(Spec(folder.Retail()), Phase.Ingestion, "1.0.0").Files["data/pos/members.csv"], Is.Not.EqualTo(before));
    }

    [Test]
    public void TheRecordRoundTripsAndTheHashFollowsContentNotDates()
    {
        using var folder = new SampleFolder();
        var spec = Spec(folder.Retail());
        var inputs = PhaseInputs.Of(spec, Phase.Ingestion, "1.0.0");
        var obj = Path.Combine(folder.Path, "obj", "cdp");
        inputs.Save(obj, Phase.Ingestion);
        var back = PhaseInputs.Load(obj, Phase.Ingestion)!;
        Assert.That((back.ConfigHash, back.Settings, back.Files), Is.EqualTo((inputs.ConfigHash, inputs.Settings, inputs.Files)));

        File.SetLastWriteTimeUtc(Path.Combine(folder.Path, "data/web/signups.csv"), DateTime.UtcNow.AddDays(2));
        Assert.That(PhaseInputs.Of(Spec(folder.Retail()), Phase.Ingestion, "1.0.0").ConfigHash, Is.EqualTo(inputs.ConfigHash));
    }

    [Test]
    public void AChangedStagingItemIsTheReasonOfThePlan()
    {
        using var folder = new SampleFolder();
        var before = PhaseInputs.Of(Spec(folder.Retail()), Phase.Staging, "1.0.0");
        var changed = folder.Retail().WithoutItems("CdpStaging")
            .Item("CdpStaging", "shopify_customers", "EmailColumns=email", "PhoneColumns=phone", "TimestampColumns=updated_at")
            .Item("CdpStaging", "shopify_orders", "EmailColumns=customer_email")
            .Item("CdpStaging", "pos_members", "EmailColumns=email", "PhoneColumns=mobile")
            .Item("CdpStaging", "web_signups", "EmailColumns=email");
        var now = PhaseInputs.Of(Spec(changed), Phase.Staging, "1.0.0");
        Assert.That(WhyStagingGenerates(now, before),
            Is.EqualTo("CdpStaging(shopify_customers).TimestampColumns changed ([\"created_at\",\"updated_at\"] → [\"updated_at\"])"));
    }

    [Test]
    public void AnEditOfTheHiveTransformRerunsStagingWhereTreasureDataRunsHiveAndNowhereElse()
    {
        using var folder = new SampleFolder();
        folder.Write("sql/members.sql", "SELECT * FROM cleaned\n");
        var hive = folder.Write("sql/members.hive.sql", "SELECT * FROM cleaned\n");
        PhaseInputs Inputs(string target, string engine = "hive")
        {
            var project = folder.Retail().Property("CdpTarget", target).Property("CdpSqlEngine", engine).WithoutItems("CdpStaging")
                .Item("CdpStaging", "shopify_customers", "EmailColumns=email", "PhoneColumns=phone", "TimestampColumns=created_at,updated_at")
                .Item("CdpStaging", "shopify_orders", "EmailColumns=customer_email")
                .Item("CdpStaging", "pos_members", "EmailColumns=email", "PhoneColumns=mobile", "TransformSql=sql/members.sql", "TransformHiveSql=sql/members.hive.sql")
                .Item("CdpStaging", "web_signups", "EmailColumns=email");
            var result = project.Read(new ApiKey("1/abcdef1234", "test"));
            return PhaseInputs.Of(result.Spec ?? throw new InvalidOperationException(string.Join("\n", result.Diagnostics)), Phase.Staging, "1.0.0");
        }
        var td = Inputs("TreasureData");
        var local = Inputs("Local");
        Assert.That(td.Files.Keys, Is.EquivalentTo(new[] { "sql/members.sql", "sql/members.hive.sql" }), "TD runs the Hive file; the unit tests before Deploy run the Presto one");
        Assert.That(local.Files.Keys, Is.EquivalentTo(new[] { "sql/members.sql" }), "Local never reads the Hive file");

        File.WriteAllText(hive, "SELECT `email`, `mobile` FROM cleaned\n");
        var editedTd = Inputs("TreasureData");
        Assert.Multiple(() =>
        {
            Assert.That(editedTd.ConfigHash, Is.Not.EqualTo(td.ConfigHash));
            Assert.That(WhyStagingGenerates(editedTd, td), Is.EqualTo("sql/members.hive.sql changed"));
            Assert.That(Inputs("Local").ConfigHash, Is.EqualTo(local.ConfigHash), "the edit re-runs nothing on Local");
        });
    }

    /// <summary>The reasons the plan gives for Staging's Generate when the inputs were <paramref name="before"/> at its last (successful) run.</summary>
    static string WhyStagingGenerates(PhaseInputs now, PhaseInputs before)
    {
        var facts = new PhaseFacts(Phase.Staging, now, before, before.ConfigHash, PhaseOrder.Steps.ToHashSet(), new HashSet<string>(), [], [], false);
        var state = new State.PipelineState().With(Phase.Staging, p => p with
        {
            Status = State.PhaseStatus.Succeeded,
            Steps = PhaseOrder.Steps.ToDictionary(s => s.ToString(), s => new State.StepRecord("Succeeded", DateTimeOffset.UnixEpoch.AddMinutes((int)s), 1)),
        });
        var plan = Planner.Plan(new PlanFacts(state, new Dictionary<Phase, PhaseFacts> { [Phase.Staging] = facts }, [Phase.Staging], Step.Generate, false,
            new HashSet<Phase>(), "", ""));
        return plan.Step(Phase.Staging, Step.Generate)!.Because();
    }
}

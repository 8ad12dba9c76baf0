using CdpSdk.Core.Configuration;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Tests.Configuration;

public class PipelineSpecReaderTests
{
    SampleFolder folder = null!;

    [SetUp] public void CreateFolder() => folder = new SampleFolder();
    [TearDown] public void DeleteFolder() => folder.Dispose();

    static PipelineSpec Spec(ReadResult result)
    {
        Assert.That(result.Diagnostics, Is.Empty, () => string.Join("\n", result.Diagnostics));
        Assert.That(result.Succeeded, Is.True);
        return result.Spec!;
    }

    [Test]
    public void SampleProjectGivesASpecWithDefaultSettings()
    {
        var spec = Spec(folder.Retail().Read());
        var s = spec.Settings;
        Assert.Multiple(() =>
        {
            Assert.That(s.Client, Is.EqualTo("retail"));
            Assert.That(s.Target, Is.EqualTo(TargetKind.Local));
            Assert.That(s.Region, Is.EqualTo("us"));
            Assert.That(s.Endpoints, Is.EqualTo(new Endpoints("https://api.treasuredata.com", "https://api-workflow.treasuredata.com", "https://api-cdp.treasuredata.com")));
            Assert.That(s.Engine, Is.EqualTo(SqlEngine.Presto));
            Assert.That(s.Mode, Is.EqualTo(RunMode.HumanInLoop));
            Assert.That(s.SourceDatabase, Is.EqualTo("retail_src"));
            Assert.That(s.StagingDatabase, Is.EqualTo("retail_stg"));
            Assert.That(s.ProjectDirectory, Is.EqualTo(folder.Path));
            Assert.That(s.WarehouseDir, Is.EqualTo(Path.Combine(folder.Path, "warehouse")));
            Assert.That(s.WarehouseStorage, Is.EqualTo(WarehouseStorage.Fast));
            Assert.That(s.GeneratedDir, Is.EqualTo(Path.Combine(folder.Path, "obj", "cdp", "workflows")));
            Assert.That(s.MinIdCoverage, Is.EqualTo(90));
            Assert.That(s.PollInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(s.MonitorTimeout, Is.EqualTo(TimeSpan.FromMinutes(120)));
        });
    }

    [Test]
    public void SourcesAndObjectsGetTheirDefaults()
    {
        var spec = Spec(folder.Retail().Read());
        var pos = spec.Sources.Single(x => x.Name == "pos");
        var customers = spec.Objects.Single(o => o.Name == "customers");
        Assert.Multiple(() =>
        {
            Assert.That(pos, Is.EqualTo(pos with { Connector = "file", Mode = LoadMode.Incremental, IncrementalField = "updated_at", StartDate = "", Database = "retail_src" }));
            Assert.That(spec.Sources.Single(x => x.Name == "web").Connector, Is.EqualTo("file"));
            Assert.That(customers.Table, Is.EqualTo("shopify_customers"));
            Assert.That(customers.HistTable, Is.EqualTo("shopify_customers_hist"));
            Assert.That(customers.PrimaryKey, Is.EqualTo("id"));
            Assert.That(customers.Format, Is.EqualTo("csv"));
            Assert.That(spec.Objects.Single(o => o.Name == "members").HistoricalLocation, Is.EqualTo("data/pos/members.csv"));
        });
    }

    [Test]
    public void HistUnionCoversEveryIngestedTableWhenNoItemIsGiven()
    {
        var spec = Spec(folder.Retail().Read());
        Assert.That(spec.HistUnion.Select(h => (h.Table, h.HistTable, h.IncTable, h.Output)), Is.EqualTo(new (string, string?, string?, string)[]
        {
            ("shopify_customers", "shopify_customers_hist", "shopify_customers", "shopify_customers_hist_union"),
            ("shopify_orders", "shopify_orders_hist", "shopify_orders", "shopify_orders_hist_union"),
            ("pos_members", null, "pos_members", "pos_members_hist_union"),
            ("web_signups", null, "web_signups", "web_signups_hist_union"),
        }));
        Assert.That(spec.HistUnion.Select(h => h.Database).Distinct(), Is.EqualTo(new[] { "retail_src" }));
    }

    [Test]
    public void HistUnionItemsRestrictTheTables()
    {
        var spec = Spec(folder.Retail()
            .Item("CdpHistUnion", "shopify_customers").Item("CdpHistUnion", "pos_members")
            .WithoutItems("CdpStaging")
            .Item("CdpStaging", "shopify_customers", "EmailColumns=email")
            .Read());
        Assert.That(spec.HistUnion.Select(h => h.Table), Is.EqualTo(new[] { "shopify_customers", "pos_members" }));
    }

    [Test]
    public void StagingDefaultsToEveryHistUnionTableInTheStagingDatabase()
    {
        var result = folder.Retail().WithoutItems("CdpStaging")
            .Item("CdpUnificationTable", "shopify_customers", "KeyColumns=email:email")
            .Read();
        var spec = Spec(result);
        Assert.Multiple(() =>
        {
            Assert.That(spec.Staging.Select(s => (s.Input, s.InputDatabase, s.Output, s.Database)), Is.EqualTo(new[]
            {
                ("shopify_customers_hist_union", "retail_src", "shopify_customers", "retail_stg"),
                ("shopify_orders_hist_union", "retail_src", "shopify_orders", "retail_stg"),
                ("pos_members_hist_union", "retail_src", "pos_members", "retail_stg"),
                ("web_signups_hist_union", "retail_src", "web_signups", "retail_stg"),
            }));
            Assert.That(spec.Staging.SelectMany(s => s.EmailColumns.Concat(s.PhoneColumns)), Is.Empty);
        });
    }

    [Test]
    public void CustomDatabasesReplaceTheClientDefaults()
    {
        var spec = Spec(folder.Retail().Property("CdpSourceDatabase", "raw_data").Property("CdpStagingDatabase", "clean_data").Read());
        Assert.Multiple(() =>
        {
            Assert.That(spec.Sources.Select(x => x.Database).Distinct(), Is.EqualTo(new[] { "raw_data" }));
            Assert.That(spec.Staging.Select(x => x.Database).Distinct(), Is.EqualTo(new[] { "clean_data" }));
            Assert.That(spec.Unifications[0].Tables.Select(t => t.Database).Distinct(), Is.EqualTo(new[] { "clean_data" }));
        });
    }

    [Test]
    public void UnificationDefaultsToStagingTablesWithEmailOrPhoneColumns()
    {
        var u = Spec(folder.Retail().Read()).Unifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(u.Name, Is.EqualTo("customer_360"));
            Assert.That(u.Database, Is.EqualTo("cdp_unification_customer_360"));
            Assert.That(u.IdMethod, Is.EqualTo(IdMethod.PersistentId));
            Assert.That(u.UpdateStrategy, Is.EqualTo(UpdateStrategy.Incremental));
            Assert.That(u.IdName, Is.EqualTo("td_id"));
            Assert.That(u.MergeIterations, Is.EqualTo(3));
            Assert.That(u.Tables.Select(t => (t.Database, t.Table, string.Join(",", t.KeyColumns.Select(c => $"{c.Column}:{c.Key}")))), Is.EqualTo(new[]
            {
                ("retail_stg", "shopify_customers", "cleaned_email:email,standardized_phone:phone"),
                ("retail_stg", "shopify_orders", "cleaned_customer_email:email"),
                ("retail_stg", "pos_members", "cleaned_email:email,standardized_mobile:phone"),
                ("retail_stg", "web_signups", "cleaned_email:email"),
            }));
            Assert.That(u.Keys.Select(k => (k.Name, k.ValidRegexp)), Is.EqualTo(new[] { ("email", ".*@.*"), ("phone", "") }));
        });
    }

    [Test]
    public void ExplicitUnificationItemsAreReadAsWritten()
    {
        var spec = Spec(folder.Retail()
            .WithoutItems("CdpUnification")
            .Item("CdpUnification", "customer_360", "IdMethod=canonical_id", "UpdateStrategy=full", "IdName=cdp_id", "MergeIterations=5")
            .Item("CdpUnificationKey", "email", "ValidRegexp=.*@.*", "InvalidTexts=test@example.com,none@none.com")
            .Item("CdpUnificationTable", "pos_members", "KeyColumns=cleaned_email:email")
            .Read());
        var u = spec.Unifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That((u.IdMethod, u.UpdateStrategy, u.IdName, u.MergeIterations), Is.EqualTo((IdMethod.CanonicalId, UpdateStrategy.Full, "cdp_id", 5)));
            Assert.That(u.Keys.Single().InvalidTexts, Is.EqualTo(new[] { "test@example.com", "none@none.com" }));
            Assert.That(u.Tables.Single().Table, Is.EqualTo("pos_members"));
        });
    }

    [Test]
    public void ExistingUnifyYmlIsUsedAsIs()
    {
        folder.Write("unify.yml", """
            name: customer_360
            keys:
              - name: email
                valid_regexp: ".*@.*"
                invalid_texts: ['']
            tables:
              - database: retail_stg
                table: pos_members
                key_columns:
                  - {column: cleaned_email, key: email}
            persistent_ids:
              - name: td_id
                merge_by_keys: [email]
            """);
        var u = Spec(folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml").Read()).Unifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(u.UnifyYmlPath, Is.EqualTo("unify.yml"));
            Assert.That(u.Keys.Select(k => k.Name), Is.EqualTo(new[] { "email" }));
            Assert.That(u.Tables.Single().KeyColumns.Single(), Is.EqualTo(new KeyColumn("cleaned_email", "email")));
        });
    }

    [Test]
    public void ExistingUnifyYmlDecidesTheIdNameMethodAndIterations()
    {
        folder.Write("unify.yml", """
            name: customer_360
            keys:
              - name: email
            tables:
              - database: retail_stg
                table: pos_members
                key_columns:
                  - {column: cleaned_email, key: email}
            canonical_ids:
              - name: cid
                merge_by_keys: [email]
                merge_iterations: 7
            """);
        var u = Spec(folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml", "IdName=td_id").Read()).Unifications.Single();
        Assert.Multiple(() =>
        {
            Assert.That(u.IdName, Is.EqualTo("cid"));
            Assert.That(u.IdMethod, Is.EqualTo(IdMethod.CanonicalId));
            Assert.That(u.MergeIterations, Is.EqualTo(7));
        });
    }

    [Test]
    public void TreasureDataTargetWithAWellFormedKeySucceeds()
    {
        var spec = Spec(folder.Retail().Property("CdpTarget", "TreasureData").Property("CdpRegion", "tokyo").Property("CdpSqlEngine", "hive")
            .Read(new ApiKey("12345/abcdef0123456789", "test")));
        Assert.Multiple(() =>
        {
            Assert.That(spec.Settings.Target, Is.EqualTo(TargetKind.TreasureData));
            Assert.That(spec.Settings.Engine, Is.EqualTo(SqlEngine.Hive));
            Assert.That(spec.Settings.Endpoints.Api, Is.EqualTo("https://api.treasuredata.co.jp"));
        });
    }

    [Test]
    public void ChoicesAreCaseInsensitive()
    {
        var spec = Spec(folder.Retail().Property("CdpMode", "autonomous").Property("CdpRegion", "EU01").Property("CdpWarehouseStorage", "compact").Read());
        Assert.That((spec.Settings.Mode, spec.Settings.Region, spec.Settings.WarehouseStorage), Is.EqualTo((RunMode.Autonomous, "eu01", WarehouseStorage.Compact)));
    }

    [Test]
    public void SdkOwnedAndHookPropertiesAreNotReportedAsUnknown()
    {
        var result = folder.Retail()
            .Property("CdpGenerateDependsOn", "Prepare").Property("CustomAfterCdpTargets", "after.targets")
            .Property("_CdpStamp", "x").Property("CdpSdkVersion", "1.0.0")
            .Read();
        Assert.That(result.Diagnostics, Is.Empty, () => string.Join("\n", result.Diagnostics));
    }
}

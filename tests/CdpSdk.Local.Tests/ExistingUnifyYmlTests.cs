using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

public sealed class ExistingUnifyYmlTests
{
    [Test]
    public async Task AUsersUnifyYmlIsDeployedAsIsAndRunsOnTheLocalEngine()
    {
        using var sample = new RetailSample();
        const string yml = """
            name: customer_360
            keys:
              - {name: email, valid_regexp: '.*@.*', invalid_texts: ['']}
            tables:
              - database: retail_stg
                table: shopify_orders
                key_columns: [{column: cleaned_customer_email, key: email}]
            canonical_ids:
              - name: cid
                merge_by_keys: [email]
            """;
        File.WriteAllText(Path.Combine(sample.Root, "my_unify.yml"), yml.Replace("\n", "\r\n"));
        var spec = UsingUnifyYml(sample);

        var project = WorkflowGenerator.Generate(spec, Phase.Unification);
        Assert.That(project.Files.Single(f => f.RelativePath == "config/unify.yml").Content, Is.EqualTo(yml.ReplaceLineEndings("\n")));

        using var backend = sample.Backend(spec);
        await sample.RunAll(spec, backend);
        var orders = SampleData.DistinctKeys(sample.Rows("data/shopify/orders_history.csv").Concat(sample.Rows("data/shopify/orders.csv")), "id");
        Assert.That(await RetailSample.Count(backend, "cdp_unification_customer_360", "SELECT count(cid) FROM enriched_shopify_orders"), Is.EqualTo(orders),
            "every order has a customer email, the only key of this file");
    }

    [Test]
    public async Task ATableNamedWithAsIsEnrichedAndValidatedUnderThatName()
    {
        using var sample = new RetailSample();
        File.WriteAllText(Path.Combine(sample.Root, "my_unify.yml"), """
            name: customer_360
            keys:
              - {name: email, valid_regexp: '.*@.*', invalid_texts: ['']}
            tables:
              - database: retail_stg
                table: shopify_orders
                as: orders
                key_columns: [{column: cleaned_customer_email, key: email}]
            canonical_ids:
              - name: cid
                merge_by_keys: [email]
            """);
        var spec = UsingUnifyYml(sample);
        Assert.That(PhaseTables.Expected(spec, Phase.Unification), Does.Contain(("cdp_unification_customer_360", "enriched_orders")),
            "Validate looks for the table TD writes: enriched_ and the as: name");

        using var backend = sample.Backend(spec);
        await sample.RunAll(spec, backend);
        Assert.That(await RetailSample.Count(backend, "cdp_unification_customer_360", "SELECT count(cid) FROM enriched_orders"), Is.GreaterThan(0));
    }

    /// <summary>The sample with its CdpUnification reading my_unify.yml; the keys, tables, master table and the check on enriched_shopify_customers go with the items the file replaces.</summary>
    static PipelineSpec UsingUnifyYml(RetailSample sample) => sample.Spec((items, _) =>
    {
        items.RemoveAll(i => i.ItemType is "CdpUnificationKey" or "CdpUnificationTable" or "CdpUnificationMasterAttribute" || (i.ItemType == "CdpCheck" && i.Get("Phase") == "Unification"));
        var u = items.Single(i => i.ItemType == "CdpUnification");
        items[items.IndexOf(u)] = u with { Metadata = new Dictionary<string, string> { ["UnifyYml"] = "my_unify.yml" } };
    });
}

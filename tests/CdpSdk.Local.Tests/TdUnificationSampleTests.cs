using CdpSdk.Core.Backend;
using CdpSdk.Core.Model;

namespace CdpSdk.Local.Tests;

/// <summary>
/// TD's five ID unification samples (treasure-boxes tool-box/id-unification-samples), as the projects under
/// samples/td-unification run them: TD's data and unify.yml files, through all four phases on the Local
/// target. Each test asserts the clusters TD's tutorial pages report for that sample, and that the build
/// does not warn that TD's loop would not converge at the sample's own merge_iterations (CDP5200).
/// </summary>
public sealed class TdUnificationSampleTests
{
    [Test]
    public async Task Ex1JoinsEveryCookieOfTheFourSitesIntoOneCanonicalId()
    {
        using var sample = new RetailSample("td-unification/ex1");
        using var backend = await RunPipeline(sample);
        const string db = "cdp_unification_test_id_unification_ex1";
        Assert.That(await Ids(backend, db, "unified_cookie_id"), Is.EqualTo(1), "TD's tutorial: one canonical_id for every cookie");
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM unified_cookie_id_lookup"), Is.EqualTo(34),
            "every valid td_client_id and td_global_id value of the four tables (16 + 18)");
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM master_table_ex1"), Is.EqualTo(1));
        // td_client_id: array_elements 5, priority by site (aaa first), first by td_client_id; td_global_id: the last by time.
        var master = (await backend.QueryAsync(db, "SELECT td_client_id, td_global_id FROM master_table_ex1", CancellationToken.None)).Rows[0];
        Assert.That(master[0], Is.EqualTo("""["aaa_001","aaa_002","aaa_003","xxx_001","xxx_002"]"""));
        Assert.That(master[1], Is.EqualTo("3rd_018"));
        // TD's loop on ex1: 16 leaders after loop 0, then 7, 3, 2 and 1 (aaa_001) after loop 4; loop 5 changes nothing.
        var spec = sample.Spec();
        var unification = await sample.RunPhase(spec, Phase.Unification, backend);
        var log = string.Concat(await Task.WhenAll(unification.Select(s => backend.GetLogAsync(s, "", CancellationToken.None))));
        Assert.That(log, Does.Contain("unified_cookie_id: 1 ids from 34 key values; TD needs 4 of its merge loops"));
        AssertConverged(sample);
    }

    [Test]
    public async Task Ex2JoinsCookiesSscIdsAndEmailsIntoOnePerson()
    {
        using var sample = new RetailSample("td-unification/ex2");
        using var backend = await RunPipeline(sample);
        const string db = "cdp_unification_test_id_unification_ex2";
        Assert.That(await Ids(backend, db, "person_id"), Is.EqualTo(1), "TD's tutorial: one person_id across the four keys");
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(DISTINCT key_type) FROM person_id_lookup"), Is.EqualTo(4));
        AssertConverged(sample);
    }

    [Test]
    public async Task Ex3BuildsOneBrandWideIdFromTwoPerBrandIds()
    {
        using var sample = new RetailSample("td-unification/ex3");
        using var backend = await RunPipeline(sample);
        const string db = "cdp_unification_test_id_unification_ex3";
        Assert.That(await Ids(backend, db, "brand_id_ax"), Is.EqualTo(3), "sites aaa and xxx alone: three people");
        Assert.That(await Ids(backend, db, "brand_id_yz"), Is.EqualTo(5), "sites yyy and zzz alone: five people");
        Assert.That(await Ids(backend, db, "unified_brand_id"), Is.EqualTo(1), "merged over both brands: one, as ex1");
        // A per-brand id covers only its own sites' rows; the unified id every row with a valid key.
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(brand_id_yz) FROM enriched_site_aaa"), Is.Zero);
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM enriched_site_aaa WHERE brand_id_ax IS NOT NULL AND unified_brand_id IS NULL"), Is.Zero);
        // The master table's source_canonical_id attributes hold the per-brand ids of the one person.
        var master = (await backend.QueryAsync(db, "SELECT brand_id_ax, brand_id_yz FROM master_table_ex3", CancellationToken.None)).Rows.Single();
        Assert.That(await RetailSample.Count(backend, db, $"SELECT count(*) FROM brand_id_ax_lookup WHERE id = '{master[0]}'"), Is.GreaterThan(0));
        Assert.That(await RetailSample.Count(backend, db, $"SELECT count(*) FROM brand_id_yz_lookup WHERE id = '{master[1]}'"), Is.GreaterThan(0));
        AssertConverged(sample);
    }

    [Test]
    public async Task Ex4KeepsTwoMemberIdsApartAlthoughTheyShareAnEmail()
    {
        using var sample = new RetailSample("td-unification/ex4");
        using var backend = await RunPipeline(sample);
        const string db = "cdp_unification_test_id_unification_ex4";
        Assert.That(await Ids(backend, db, "person_id"), Is.EqualTo(4), "members 1, 2 and 3, and the member-less c@ex.com");
        var idOf = (await backend.QueryAsync(db, "SELECT tel, person_id FROM enriched_site_aaa", CancellationToken.None)).Rows
            .ToDictionary(r => Convert.ToString(r[0])!, r => (string)r[1]!);
        Assert.That(idOf["1111"], Is.Not.EqualTo(idOf["2222"]), "do_not_merge_key: member_id 1 and 2 stay apart though both use a@ex.com");
        Assert.That(idOf["3333"], Is.EqualTo(idOf["4444"]), "one member_id 3 with one email");
        Assert.That(idOf["5555"], Is.EqualTo(idOf["6666"]), "c@ex.com alone joins its two rows");
        // TD's lookup lists a@ex.com under both member ids: it follows both leaders.
        var emailIds = (await backend.QueryAsync(db, "SELECT id FROM person_id_lookup WHERE key_value = 'a@ex.com'", CancellationToken.None)).Rows.Select(r => (string)r[0]!);
        Assert.That(emailIds, Is.EquivalentTo(new[] { idOf["1111"], idOf["2222"] }));
        AssertConverged(sample);
    }

    [Test]
    public async Task Ex5KeepsItsIdWhenNewRowsArriveIncrementally()
    {
        using var sample = new RetailSample("td-unification/ex5");
        var spec = sample.Spec();
        using var backend = sample.Backend(spec);
        foreach (var phase in PhaseOrder.All) await sample.RunPhase(spec, phase, backend);
        const string db = "cdp_unification_test_id_unification_ex5";
        var first = (await backend.QueryAsync(db, "SELECT DISTINCT id FROM unified_cookie_id_lookup", CancellationToken.None)).Rows.Select(r => (string)r[0]!).Single();

        // TD's insert_samples_ex5.sql: the second day's rows (its first three per site repeat the last three of the first day).
        foreach (var site in new[] { "aaa", "xxx", "yyy", "zzz" })
            File.AppendAllLines(Path.Combine(sample.Root, "data", site + ".csv"), File.ReadAllLines(Path.Combine(sample.Root, "data", "insert", site + ".csv")).Skip(1));
        foreach (var phase in PhaseOrder.All) await sample.RunPhase(spec, phase, backend, RetailSample.SessionTime.AddDays(1));

        var after = (await backend.QueryAsync(db, "SELECT DISTINCT id FROM unified_cookie_id_lookup", CancellationToken.None)).Rows.Select(r => (string)r[0]!).ToList();
        Assert.That(after, Is.EqualTo(new[] { first }), "the new cookies join the one person and keep its id");
        Assert.That(await RetailSample.Count(backend, db, "SELECT count(*) FROM unified_cookie_id_lookup"), Is.EqualTo(44), "34 key values, then 10 new ones");
        AssertConverged(sample);
    }

    static async Task<LocalBackend> RunPipeline(RetailSample sample)
    {
        var spec = sample.Spec();
        var backend = sample.Backend(spec);
        await sample.RunAll(spec, backend);
        return backend;
    }

    static Task<long> Ids(IWorkflowBackend backend, string database, string id) =>
        RetailSample.Count(backend, database, $"SELECT count(DISTINCT id) FROM {id}_lookup");

    static void AssertConverged(RetailSample sample) =>
        Assert.That(sample.Log.Diagnostics.Where(d => d.Code == "CDP5200").Select(d => d.Message), Is.Empty,
            "TD converges on its own samples at their merge_iterations");
}

using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>A user's unify.yml breaking one of TD's rules is reported with its code at the line of the offending entry.</summary>
public class UnifyYmlRulesTests
{
    SampleFolder folder = null!;

    [SetUp] public void CreateFolder() => folder = new SampleFolder();
    [TearDown] public void DeleteFolder() => folder.Dispose();

    const string Keys = "keys:\n  - name: email\n    invalid_texts: ['']\n";
    const string Tables = "tables:\n  - database: retail_stg\n    table: pos_members\n    key_columns:\n      - {column: cleaned_email, key: email}\n";
    const string Ids = "persistent_ids:\n  - name: td_id\n    merge_by_keys: [email]\n";

    /// <summary>(code, yml, line of the error, part of the message)</summary>
    public static IEnumerable<TestCaseData> Rules()
    {
        TestCaseData Case(string code, string name, string yml, int line, string part) =>
            new TestCaseData(code, yml, line, part).SetArgDisplayNames(code + " " + name);
        yield return Case("CDP0103", "duplicate key", "name: customer_360\n" + Keys + Tables + "persistent_ids:\n  - name: td_id\n    merge_by_keys: [email]\n    name: other\n", 13, "'name' twice");
        yield return Case("CDP0110", "key declared twice", "name: customer_360\nkeys:\n  - name: email\n  - name: email\n" + Tables + Ids, 4, "twice");
        yield return Case("CDP0110", "invalid regexp", "name: customer_360\nkeys:\n  - name: email\n    valid_regexp: '([a-z'\n" + Tables + Ids, 4, "valid_regexp");
        yield return Case("CDP0111", "unused key", "name: customer_360\nkeys:\n  - name: email\n  - name: phone\n" + Tables + Ids, 4, "'phone'");
        yield return Case("CDP0112", "table listed twice", "name: customer_360\n" + Keys + Tables + "  - database: retail_stg\n    table: pos_members\n    key_columns: [{column: cleaned_email, key: email}]\n" + Ids, 10, "twice");
        yield return Case("CDP0112", "table without database", "name: customer_360\n" + Keys + "tables:\n  - table: pos_members\n    key_columns: [{column: cleaned_email, key: email}]\n" + Ids, 6, "without database");
        yield return Case("CDP0113", "unknown merge key", "name: customer_360\n" + Keys + Tables + "persistent_ids:\n  - name: td_id\n    merge_by_keys: [email, phone]\n", 12, "'phone'");
        yield return Case("CDP0113", "too many iterations", "name: customer_360\n" + Keys + Tables + Ids + "    merge_iterations: 50\n", 13, "1 to 49");
        yield return Case("CDP0114", "do_not_merge_key on a persistent id", "name: customer_360\n" + Keys + Tables + Ids + "    do_not_merge_key: email\n", 13, "only canonical");
        yield return Case("CDP0114", "do_not_merge_key not first", "name: customer_360\nkeys:\n  - name: email\n  - name: phone\n" + Tables + "      - {column: standardized_mobile, key: phone}\ncanonical_ids:\n  - name: cid\n    merge_by_keys: [email, phone]\n    do_not_merge_key: phone\n", 14, "first");
        yield return Case("CDP0115", "unknown source table", "name: customer_360\n" + Keys + Tables + Ids + "    source_tables: [crm_people]\n", 13, "'crm_people'");
        yield return Case("CDP0116", "master table of an unknown id", "name: customer_360\n" + Keys + Tables + Ids +
            "master_tables:\n  - name: customers\n    canonical_id: cid\n    attributes:\n      - name: email\n        source_columns: [{table: pos_members, column: cleaned_email, priority: 1}]\n", 15, "'cid'");
        yield return Case("CDP0116", "attribute with eleven elements", "name: customer_360\n" + Keys + Tables + Ids +
            "master_tables:\n  - name: customers\n    persistent_id: td_id\n    attributes:\n      - name: email\n        array_elements: 11\n        source_columns: [{table: pos_members, column: cleaned_email, order: newest}]\n", 18, "1 to 10");
        yield return Case("CDP0104", "unknown field", "name: customer_360\n" + Keys + Tables + Ids + "    merge_iteration: 5\n", 13, "'merge_iteration'");
        yield return Case("CDP0105", "iterations as a list", "name: customer_360\n" + Keys + Tables + Ids + "    merge_iterations: [3]\n", 13, "whole number");
        yield return Case("CDP0105", "merge_by_keys a string", "name: customer_360\n" + Keys + Tables + "persistent_ids:\n  - name: td_id\n    merge_by_keys: email\n", 12, "[email]");
        yield return Case("CDP0105", "unquoted boolean invalid text", "name: customer_360\nkeys:\n  - name: email\n    invalid_texts: ['', Yes]\n" + Tables + Ids, 4, "quote it");
        yield return Case("CDP0117", "database not a symbol", "name: customer_360\n" + Keys + Tables.Replace("database: retail_stg", "database: retail-stg") + Ids, 6, "'retail-stg'");
        yield return Case("CDP0117", "master column not a symbol", "name: customer_360\n" + Keys + Tables + Ids +
            "master_tables:\n  - name: customers\n    persistent_id: td_id\n    attributes:\n      - name: email\n        source_columns: [{table: pos_members, column: cleaned-email}]\n", 18, "'cleaned-email'");
        yield return Case("CDP0117", "name not a symbol", "name: customer-360\n" + Keys + Tables + Ids, 1, "SQL symbol");
    }

    public static IEnumerable<string> Codes => Rules().Select(r => (string)r.Arguments[0]!).Distinct();

    [TestCaseSource(nameof(Rules))]
    public void RuleIsReportedAtTheLineOfTheEntry(string code, string yml, int line, string part)
    {
        var path = folder.Write("unify.yml", yml);
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml").Read();
        var found = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.That(found, Is.Not.Empty, () => $"expected {code}, got:\n" + string.Join("\n", result.Diagnostics));
        Assert.Multiple(() =>
        {
            Assert.That(result.Succeeded, Is.False);
            Assert.That(found.Select(d => (d.Location.File, d.Location.Line)), Has.Member((path, line)), () => string.Join("\n", found));
            Assert.That(found.Select(d => d.Message), Has.Some.Contains(part));
        });
    }

    [Test]
    public void AUnifyYmlFollowingEveryRuleIsAccepted()
    {
        folder.Write("unify.yml", "name: customer_360\n" + Keys + Tables + Ids + "    merge_iterations: 5\n    incremental_merge_iterations: 2\n    source_tables: [pos_members]\n" +
            "master_tables:\n  - name: customers\n    persistent_id: td_id\n    attributes:\n      - name: email\n        array_elements: 3\n        source_columns: [{table: pos_members, column: cleaned_email, priority: 1, order: last, order_by: time}]\n");
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml").Read();
        Assert.That(result.Diagnostics, Is.Empty);
    }

    [Test]
    public void WarningsNameTdsRuleAtTheLineAndTheModelHasTdsMeaning()
    {
        var path = folder.Write("unify.yml", "name: customer_360\n" + Keys + Tables + "  - database: retail_stg\n    table: shop_customers\n    as: shop\n    key_columns: [{column: email, key: email}]\n" + Ids + "    merge_iterations: 7\n" +
            "master_tables:\n  - name: customers\n    persistent_id: td_id\n    attributes:\n      - name: email\n        source_columns:\n          - {table: pos_members, priority: 1}\n          - {table: shop, priority: 1, order: last, order_by: time}\n");
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml", "MergeIterations=4").Read();
        var warnings = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, string.Join("\n", result.Diagnostics));
            Assert.That(warnings.Where(w => w.Code == "CDP0118").Select(w => (w.Location.File, w.Location.Line)), Is.EquivalentTo(new[] { (path, 24), (path, 25) }));
            Assert.That(warnings.Single(w => w.Code == "CDP0119").Location.Line, Is.EqualTo(24), "at the first of the source columns");
            Assert.That(warnings.Single(w => w.Code == "CDP0122").Message, Does.Contain("merge_iterations applies (7)"));
            var u = result.Spec!.Unifications.Single();
            Assert.That(u.MergeIterations, Is.EqualTo(7));
            Assert.That(u.MasterAttributes.Single().Sources.Select(c => (c.Table, c.Column, c.Order)),
                Is.EqualTo(new[] { ("pos_members", "email", "first"), ("shop", "email", "last") }));
        });
    }

    [Test]
    public void MergeIterationsBesideAUnifyYmlWithoutOneSaysTdsDefaultApplies()
    {
        folder.Write("unify.yml", "name: customer_360\n" + Keys + Tables + Ids);
        var result = folder.Retail().WithoutItems("CdpUnification").Item("CdpUnification", "customer_360", "UnifyYml=unify.yml", "MergeIterations=9").Read();
        Assert.Multiple(() =>
        {
            Assert.That(result.Diagnostics.Single(d => d.Code == "CDP0122").Message, Does.Contain("(3, TD's default"));
            Assert.That(result.Spec!.Unifications.Single().MergeIterations, Is.EqualTo(3));
        });
    }
}

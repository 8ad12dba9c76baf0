using CdpSdk.Core.Diagnostics;
using static CdpSdk.Core.Tests.Configuration.TdSampleConfigs;

namespace CdpSdk.Core.Tests.Configuration;

/// <summary>
/// Our unify.yml verdicts beside TD's validator's (treasure-boxes tool-box/unification-validator), one variant of
/// TD's samples per rule and both sides of each limit. Each row's Td note is what that validator printed for
/// exactly this text (run by hand with python3 validate.py; set CDP_TD_VARIANTS to a folder and run
/// WriteVariantsForTdsValidator to get the texts). "VALIDATION WARNINGS" are the validator's findings outside its
/// models (it still exits 1); docs/errors.md lists every row where our verdict deliberately differs from TD's.
/// </summary>
public class TdValidatorAgreementTests
{
    /// <summary>A variant: our verdict ("clean", "error CDPnnnn", "warning CDPnnnn") and what TD's validator said.</summary>
    public sealed record Variant(string Name, string Yml, string Verdict, string Td)
    {
        public override string ToString() => Name;
    }

    static string List(int count, Func<int, string> item) => "[" + string.Join(", ", Enumerable.Range(0, count).Select(item)) + "]";
    static string Chars(int count) => new('a', count);

    static readonly string Ex1 = Validated(1);
    static readonly string Ex3 = Validated(3);
    static readonly string Ex4 = Validated(4);
    static readonly string Ex5 = Validated(5);
    const string GlobalKey = "  - name: td_global_id\n    valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n";
    const string FirstAttribute = "      - name: td_client_id\n        invalid_texts: ['']\n        array_elements: 5\n";
    const string MergeBy = "    merge_by_keys: [td_client_id, td_global_id]\n    merge_iterations: 5\n";

    static string Key(string fields) => Ex1.Once(GlobalKey, GlobalKey + fields);
    static string Id(string fields) => Ex1.Once(MergeBy, MergeBy + fields);
    static string FirstTable(string fields) => Ex1.Once("    table: site_aaa\n", "    table: site_aaa\n" + fields);
    static string Attribute(string fields) => Ex1.Once(FirstAttribute, FirstAttribute + fields);
    static string Attributes(int count) => Ex1 + "\n" + string.Concat(Enumerable.Range(0, count - 2).Select(i => $"      - {{name: a{i}, source_columns: [{{table: site_aaa, column: td_client_id}}]}}\n"));
    static string KeyColumns(int count) => Ex1.Once("      - {column: td_client_id, key: td_client_id}\n      - {column: td_global_id, key: td_global_id}\n  - database: test_id_unification_ex1\n    table: site_xxx",
        string.Concat(Enumerable.Range(0, count).Select(i => $"      - {{column: c{i}, key: {(i == 0 ? "td_global_id" : "td_client_id")}}}\n")) + "  - database: test_id_unification_ex1\n    table: site_xxx");
    // ex4 with its do_not_merge_key, member_id, renamed to a name of the given length.
    static string DoNotMerge(int length) => Ex4.Replace("member_id", "m" + Chars(length - 1));

    public static IEnumerable<Variant> Variants()
    {
        // TD's samples as TD publishes them: TD runs them (its tutorial does), its validator refuses column-less source columns.
        yield return new("ex1 as published", Sample(1), "warning CDP0118", "ERRORS: String should have at least 1 character (x8: source columns without column); duplicate priority [1]");
        yield return new("ex2 as published", Sample(2), "warning CDP0118", "ERRORS: String should have at least 1 character (x8); duplicate priority [1]");
        yield return new("ex3 as published", Sample(3), "warning CDP0118", "ERRORS: String should have at least 1 character (x8); duplicate priority [1]; merge_by_keys does not use all defined keys");
        yield return new("ex4 as published", Sample(4), "warning CDP0118", "ERRORS: String should have at least 1 character (x4)");
        yield return new("ex5 as published", Sample(5), "warning CDP0118", "ERRORS: String should have at least 1 character (x8); duplicate priority [1]");
        yield return new("ex1 with columns and priorities", Ex1, "clean", "valid");
        yield return new("ex2 with columns and priorities", Validated(2), "clean", "valid");
        yield return new("ex3 with columns and priorities", Ex3, "warning CDP0121", "WARNINGS: canonical_id \"unified_brand_id\" merge_by_keys does not use all defined keys");
        yield return new("ex4 with columns and priorities", Ex4, "clean", "valid");
        yield return new("ex5 with columns and priorities", Ex5, "clean", "valid");

        // name
        yield return new("name not a symbol", Ex1.Once("name: test_id_unification_ex1\n", "name: test-id\n"), "error CDP0117", "ERRORS: 'test-id' is not a valid SQL symbol");
        yield return new("name null", Ex1.Once("name: test_id_unification_ex1\n", "name: null\n"), "error CDP0105", "ERRORS: Input should be a valid string");
        yield return new("name missing", Ex1.Once("name: test_id_unification_ex1\n", ""), "error CDP0117", "ERRORS: String should have at least 1 character");
        yield return new("unknown top-level field", Ex1 + "\nrun_enrichments: true\n", "error CDP0104", "valid");

        // keys
        yield return new("keys missing", Ex1.Once("keys:\n", "unused:\n"), "error CDP0110", "ERRORS: List should have at least 1 item after validation, not 0");
        yield return new("keys empty", Ex1.Replace("keys:\n  - name: td_client_id\n    invalid_texts: ['']\n\n" + GlobalKey, "keys: []\n"), "error CDP0110", "ERRORS: List should have at least 1 item after validation, not 0");
        yield return new("key name not a symbol", Ex1.Once("  - name: td_client_id\n    invalid_texts", "  - name: td-client-id\n    invalid_texts"), "error CDP0117", "ERRORS: 'td-client-id' is not a valid SQL symbol");
        yield return new("key valid_regexp empty", Ex1.Once("valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n\ntables", "valid_regexp: ''\n    invalid_texts: ['']\n\ntables"), "error CDP0110", "ERRORS: String should have at least 1 character");
        yield return new("key valid_regexp 512 characters", Ex1.Once("valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n\ntables", $"valid_regexp: {Chars(512)}\n    invalid_texts: ['']\n\ntables"), "clean", "valid");
        yield return new("key valid_regexp 513 characters", Ex1.Once("valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n\ntables", $"valid_regexp: {Chars(513)}\n    invalid_texts: ['']\n\ntables"), "error CDP0110", "ERRORS: String should have at most 512 characters");
        yield return new("key valid_regexp a number", Ex1.Once("valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n\ntables", "valid_regexp: 123\n    invalid_texts: ['']\n\ntables"), "error CDP0105", "ERRORS: Input should be a valid string");
        yield return new("key valid_regexp that does not compile", Ex1.Once("valid_regexp: \"3rd_*\"\n    invalid_texts: ['']\n\ntables", "valid_regexp: '([a-z'\n    invalid_texts: ['']\n\ntables"), "error CDP0110", "valid");
        yield return new("key invalid_texts 127", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: " + List(127, i => $"'t{i}'")), "clean", "valid");
        yield return new("key invalid_texts 128", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: " + List(128, i => $"'t{i}'")), "error CDP0110", "ERRORS: invalid_texts cannot have more than 127 elements");
        yield return new("key invalid_texts empty list", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: []"), "clean", "valid");
        yield return new("key invalid_texts with null", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: ['', null]"), "clean", "valid");
        yield return new("key invalid_texts with a boolean", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: ['', Yes]"), "error CDP0105", "ERRORS: Input should be a valid string");
        yield return new("key invalid_texts a string", Ex1.Once("  - name: td_client_id\n    invalid_texts: ['']", "  - name: td_client_id\n    invalid_texts: unknown"), "error CDP0105", "ERRORS: Input should be a valid list");
        yield return new("key unknown field", Key("    valid_regex: x\n"), "error CDP0104", "valid");
        yield return new("key unused", Ex1.Once("\ntables:\n", "  - name: email\n\ntables:\n"), "error CDP0111", "WARNINGS: key 'email' is not used in any table key_columns");
        yield return new("key declared twice", Ex1.Once("\ntables:\n", "  - name: td_global_id\n\ntables:\n"), "error CDP0110", "valid");

        // tables
        yield return new("tables empty", Ex1.Once("\ntables:\n", "\ntables: []\nx_tables:\n"), "error CDP0112", "ERRORS: List should have at least 1 item after validation, not 0");
        yield return new("tables a mapping", Ex1.Once("tables:\n  - database: test_id_unification_ex1\n    table: site_aaa\n", "tables:\n  database: test_id_unification_ex1\n  table: site_aaa\nx:\n  - database: test_id_unification_ex1\n    table: site_aaa\n"), "error CDP0105", "❌ Unexpected error: 'str' object has no attribute 'get'");
        yield return new("table database not a symbol", Ex1.Once("  - database: test_id_unification_ex1\n    table: site_aaa", "  - database: test-db\n    table: site_aaa"), "error CDP0117", "ERRORS: 'test-db' is not a valid SQL symbol");
        yield return new("table without database", Ex1.Once("  - database: test_id_unification_ex1\n    table: site_aaa", "  - table: site_aaa"), "error CDP0112", "ERRORS: String should have at least 1 character");
        yield return new("table name not a symbol", Ex1.Replace("site_aaa", "site-aaa"), "error CDP0117", "ERRORS: 'site-aaa' is not a valid SQL symbol");
        yield return new("table as alias", FirstTable("    as: aaa\n").Replace("table: 'site_aaa'", "table: 'aaa'"), "clean", "valid");
        yield return new("table as not a symbol", FirstTable("    as: a-a\n").Replace("table: 'site_aaa'", "table: 'a-a'"), "error CDP0117", "ERRORS: 'a-a' is not a valid SQL symbol");
        yield return new("table listed twice with different as", FirstTable("    as: aaa\n").Once("    table: site_xxx\n", "    table: site_aaa\n    as: aaa2\n").Replace("table: 'site_xxx'", "table: 'aaa2'").Replace("table: 'site_aaa'", "table: 'aaa'"), "error CDP0112", "valid");
        yield return new("table as names twice", FirstTable("    as: same\n").Once("    table: site_xxx\n", "    table: site_xxx\n    as: same\n").Replace("table: 'site_xxx'", "table: 'same'").Replace("table: 'site_aaa'", "table: 'same'"), "error CDP0112", "valid");
        yield return new("table incremental_columns 127", FirstTable("    incremental_columns: " + List(127, i => $"c{i}") + "\n"), "clean", "valid");
        yield return new("table incremental_columns 128", FirstTable("    incremental_columns: " + List(128, i => $"c{i}") + "\n"), "error CDP0112", "ERRORS: incremental_columns cannot have more than 127 elements");
        yield return new("table incremental_columns a string", FirstTable("    incremental_columns: time\n"), "error CDP0105", "ERRORS: Input should be a valid list");
        yield return new("table unknown field", FirstTable("    schema: x\n"), "error CDP0104", "valid");
        yield return new("table key_columns 32", KeyColumns(32), "clean", "valid");
        yield return new("table key_columns 33", KeyColumns(33), "error CDP0112", "ERRORS: List should have at most 32 items after validation, not 33");
        yield return new("table key_columns empty", KeyColumns(0).Once("    table: site_aaa\n    key_columns:\n", "    table: site_aaa\n    key_columns: []\n"), "error CDP0112", "ERRORS: List should have at least 1 item after validation, not 0");
        yield return new("key column not a symbol", Ex1.Once("      - {column: td_client_id, key: td_client_id}\n      - {column: td_global_id, key: td_global_id}\n  - database: test_id_unification_ex1\n    table: site_xxx",
            "      - {column: td-client-id, key: td_client_id}\n      - {column: td_global_id, key: td_global_id}\n  - database: test_id_unification_ex1\n    table: site_xxx"), "error CDP0117", "valid");
        yield return new("key column of an unknown key", Ex1.Once("      - {column: td_client_id, key: td_client_id}\n      - {column: td_global_id, key: td_global_id}\n  - database: test_id_unification_ex1\n    table: site_xxx",
            "      - {column: td_client_id, key: td_client_id}\n      - {column: td_global_id, key: td_global_id}\n      - {column: email, key: email}\n  - database: test_id_unification_ex1\n    table: site_xxx"), "error CDP0115", "WARNINGS: key_column references unknown key 'email'");

        // canonical_ids
        yield return new("no ids", Ex1.Once("canonical_ids:\n", "x_ids:\n").Once("    canonical_id: unified_cookie_id\n", ""), "error CDP0113", "ERRORS: either canonical_ids or persistent_ids must have at least one item");
        yield return new("id name not a symbol", Ex1.Once("  - name: unified_cookie_id\n", "  - name: unified-cookie-id\n").Once("    canonical_id: unified_cookie_id\n", "    canonical_id: unified-cookie-id\n"), "error CDP0117", "ERRORS: 'unified-cookie-id' is not a valid SQL symbol");
        yield return new("merge_by_keys a string", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: td_client_id"), "error CDP0105", "ERRORS: Input should be a valid list");
        yield return new("merge_by_keys empty", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: []"), "error CDP0113", "ERRORS: must have at least one merge_by_keys element if merge_by_canonical_ids is 0 or 1");
        yield return new("merge_by_keys missing one key", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: [td_client_id]"), "warning CDP0121", "WARNINGS: canonical_id 'unified_cookie_id' merge_by_keys does not use all defined keys. Missing: td_global_id");
        yield return new("merge_by_keys unknown key", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: [td_client_id, td_global_id, email]"), "error CDP0113", "WARNINGS: references unknown key 'email'");
        yield return new("merge_by_keys time on a canonical id", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: [td_client_id, td_global_id, time]"), "error CDP0115", "WARNINGS: references unknown key 'time'");
        yield return new("merge_by_keys 64", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: " + List(64, i => i == 0 ? "td_global_id" : "td_client_id")), "clean", "valid");
        yield return new("merge_by_keys 65", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: " + List(65, i => i == 0 ? "td_global_id" : "td_client_id")), "error CDP0113", "ERRORS: List should have at most 64 items after validation, not 65");
        foreach (var (value, verdict, td) in new[] { ("49", "clean", "valid"), ("50", "error CDP0113", "ERRORS: Input should be less than 50"), ("0", "error CDP0113", "ERRORS: Input should be greater than 0"), ("1", "clean", "valid"), ("[3]", "error CDP0105", "ERRORS: Input should be a valid integer"), ("'5'", "clean", "valid"), ("5.0", "clean", "valid"), ("5.5", "error CDP0105", "ERRORS: Input should be a valid integer, got a number with a fractional part"), ("{n: 5}", "error CDP0105", "ERRORS: Input should be a valid integer"), ("null", "clean", "valid"), ("five", "error CDP0105", "ERRORS: Input should be a valid integer, unable to parse string as an integer"), ("true", "error CDP0105", "valid") })
            yield return new($"merge_iterations {value}", Ex1.Once("    merge_iterations: 5\n", $"    merge_iterations: {value}\n"), verdict, td);
        yield return new("incremental_merge_iterations 49", Id("    incremental_merge_iterations: 49\n"), "clean", "valid");
        yield return new("incremental_merge_iterations 50", Id("    incremental_merge_iterations: 50\n"), "error CDP0113", "ERRORS: Input should be less than 50");
        yield return new("id unknown field", Id("    merge_iteration: 5\n"), "error CDP0104", "valid");
        yield return new("id declared twice", Ex1.Once("\nmaster_tables:", "  - name: unified_cookie_id\n    merge_by_keys: [td_client_id, td_global_id]\n\nmaster_tables:"), "error CDP0113", "valid");
        yield return new("source_tables unknown", Id("    source_tables: [site_aaa, site_qqq]\n"), "error CDP0115", "WARNINGS: references unknown table 'site_qqq'");
        yield return new("source_tables a string", Id("    source_tables: site_aaa\n"), "error CDP0105", "ERRORS: Input should be a valid list");

        // do_not_merge_key (ex4)
        yield return new("do_not_merge_key not first", Ex4.Once("do_not_merge_key: member_id", "do_not_merge_key: email"), "error CDP0114", "ERRORS: do_not_merge_key must be first element of merge_by_keys which is 'member_id' but 'email' is used");
        yield return new("do_not_merge_key empty", Ex4.Once("do_not_merge_key: member_id", "do_not_merge_key: ''"), "error CDP0114", "ERRORS: String should have at least 1 character");
        yield return new("do_not_merge_key 64 characters", DoNotMerge(64), "clean", "valid");
        yield return new("do_not_merge_key 65 characters", DoNotMerge(65), "error CDP0114", "ERRORS: String should have at most 64 characters");

        // merge_by_canonical_ids (ex3)
        yield return new("merge_by_canonical_ids unknown", Ex3.Once("[brand_id_ax, brand_id_yz]", "[brand_id_ax, brand_id_qq]"), "error CDP0115", "WARNINGS: references unknown canonical_id 'brand_id_qq'; merge_by_keys does not use all defined keys");
        yield return new("merge_by_canonical_ids one without merge_by_keys", Ex3.Once("[brand_id_ax, brand_id_yz]", "[brand_id_ax]"), "error CDP0113", "ERRORS: must have at least one merge_by_keys element if merge_by_canonical_ids is 0 or 1");
        yield return new("merge_by_canonical_ids 64", Ex3.Once("[brand_id_ax, brand_id_yz]", List(64, i => i % 2 == 0 ? "brand_id_ax" : "brand_id_yz")), "warning CDP0121", "WARNINGS: canonical_id 'unified_brand_id' merge_by_keys does not use all defined keys. Missing: td_client_id, td_global_");
        yield return new("merge_by_canonical_ids 65", Ex3.Once("[brand_id_ax, brand_id_yz]", List(65, i => i % 2 == 0 ? "brand_id_ax" : "brand_id_yz")), "error CDP0113", "ERRORS: List should have at most 64 items after validation, not 65");
        yield return new("source_columns with source_canonical_id", Ex3.Once("        source_canonical_id: brand_id_ax\n", "        source_canonical_id: brand_id_ax\n        source_columns: [{table: site_aaa, column: td_client_id}]\n"), "error CDP0116", "ERRORS: source_columns must not be set when source_canonical_id is set");

        // persistent_ids (ex1 and ex3 with persistent ids)
        yield return new("persistent ex1", Persistent(Ex1), "clean", "valid");
        yield return new("persistent time once", Persistent(Ex1).Once("[td_client_id, td_global_id]", "[td_client_id, td_global_id, time]"), "clean", "valid");
        yield return new("persistent time twice", Persistent(Ex1).Once("[td_client_id, td_global_id]", "[td_client_id, time, td_global_id, time]"), "error CDP0115", "ERRORS: too many 'time' entries in merge_by_keys");
        yield return new("persistent ex3 merging persistent ids", Persistent(Ex3), "warning CDP0121", "WARNINGS: persistent_id 'unified_brand_id' merge_by_keys does not use all defined keys. Missing: td_client_id, td_global");
        yield return new("persistent time with merge_by_persistent_ids", Persistent(Ex3).Once("    merge_by_keys: []\n", "    merge_by_keys: [time]\n"), "error CDP0115", "ERRORS: 'time' cannot be specified with merge_by_persistent_ids option");
        yield return new("persistent do_not_merge_key", Persistent(Ex1).Once("    merge_iterations: 5\n", "    merge_iterations: 5\n    do_not_merge_key: td_client_id\n"), "error CDP0114", "valid");
        yield return new("source_columns with source_persistent_id", Persistent(Ex3).Once("        source_persistent_id: brand_id_ax\n", "        source_persistent_id: brand_id_ax\n        source_columns: [{table: site_aaa, column: td_client_id}]\n"), "error CDP0116", "ERRORS: source_columns must not be set when source_persistent_id is set");

        // master_tables
        yield return new("master table name not a symbol", Ex1.Once("  - name: master_table_ex1\n", "  - name: master-table\n"), "error CDP0117", "ERRORS: 'master-table' is not a valid SQL symbol");
        yield return new("master table with both ids", Ex1.Once("    canonical_id: unified_cookie_id\n", "    canonical_id: unified_cookie_id\n    persistent_id: unified_cookie_id\n"), "error CDP0116", "ERRORS: either canonical_id or persistent_id must be present (but not both)");
        yield return new("master table with no id", Ex1.Once("    canonical_id: unified_cookie_id\n", ""), "error CDP0116", "ERRORS: either canonical_id or persistent_id must be present (but not both)");
        yield return new("master table of an unknown id", Ex1.Once("    canonical_id: unified_cookie_id\n", "    canonical_id: other_id\n"), "error CDP0116", "WARNINGS: references unknown canonical_id 'other_id'");
        yield return new("master table unknown field", Ex1.Once("    canonical_id: unified_cookie_id\n", "    canonical_id: unified_cookie_id\n    database: x\n"), "error CDP0104", "valid");
        yield return new("attributes 512", Attributes(512), "clean", "valid");
        yield return new("attributes 513", Attributes(513), "error CDP0116", "ERRORS: List should have at most 512 items after validation, not 513");
        yield return new("attribute name not a symbol", Ex1.Once(FirstAttribute, FirstAttribute.Replace("name: td_client_id", "name: td-client-id")), "error CDP0117", "ERRORS: 'td-client-id' is not a valid SQL symbol");
        yield return new("attribute twice", Ex1 + "\n      - {name: td_client_id, source_columns: [{table: site_aaa, column: td_client_id}]}\n", "error CDP0116", "ERRORS: duplicate attribute name 'td_client_id'");
        yield return new("attribute array_elements 10", Ex1.Once("array_elements: 5", "array_elements: 10"), "clean", "valid");
        yield return new("attribute array_elements 11", Ex1.Once("array_elements: 5", "array_elements: 11"), "error CDP0116", "ERRORS: Input should be less than or equal to 10");
        yield return new("attribute array_elements 0", Ex1.Once("array_elements: 5", "array_elements: 0"), "error CDP0116", "ERRORS: Input should be greater than or equal to 1");
        yield return new("attribute valid_regexp empty", Attribute("        valid_regexp: ''\n"), "error CDP0116", "ERRORS: String should have at least 1 character");
        yield return new("attribute valid_regexp 513 characters", Attribute($"        valid_regexp: {Chars(513)}\n"), "error CDP0116", "ERRORS: String should have at most 512 characters");
        yield return new("attribute invalid_texts 127", Ex1.Once(FirstAttribute, FirstAttribute.Replace("invalid_texts: ['']", "invalid_texts: " + List(127, i => $"'t{i}'"))), "clean", "valid");
        yield return new("attribute invalid_texts 128", Ex1.Once(FirstAttribute, FirstAttribute.Replace("invalid_texts: ['']", "invalid_texts: " + List(128, i => $"'t{i}'"))), "error CDP0116", "ERRORS: invalid_texts cannot have more than 127 elements");
        yield return new("attribute without sources", Ex1 + "\n      - {name: extra, source_columns: []}\n", "error CDP0116", "ERRORS: source_columns must be set when neither source_canonical_id nor source_persistent_id is set");
        yield return new("attribute unknown field", Attribute("        source_column: x\n"), "error CDP0104", "valid");
        yield return new("source column without column", Ex1.Once("{column: td_client_id, table: 'site_aaa'", "{table: 'site_aaa'"), "warning CDP0118", "ERRORS: String should have at least 1 character");
        yield return new("source column not a symbol", Ex1.Once("{column: td_client_id, table: 'site_aaa'", "{column: td-client-id, table: 'site_aaa'"), "error CDP0117", "ERRORS: 'td-client-id' is not a valid SQL symbol");
        yield return new("source column of an unknown table", Ex1.Once("{column: td_client_id, table: 'site_aaa'", "{column: td_client_id, table: 'site_qqq'"), "error CDP0116", "WARNINGS: source_column references unknown table 'site_qqq'");
        yield return new("source column priority 0", Ex1.Once("{column: td_client_id, table: 'site_aaa', order: first, order_by: td_client_id, priority: 1}", "{column: td_client_id, table: 'site_aaa', order: first, order_by: td_client_id, priority: 0}"), "error CDP0116", "ERRORS: Input should be greater than or equal to 1");
        yield return new("source column duplicate priority", Ex1.Once("{column: td_client_id, table: 'site_xxx', order: first, order_by: td_client_id, priority: 2}", "{column: td_client_id, table: 'site_xxx', order: first, order_by: td_client_id, priority: 1}"), "warning CDP0119", "WARNINGS: duplicate priority values found: [1]");
        yield return new("source column missing priority", Ex1.Once("{column: td_client_id, table: 'site_xxx', order: first, order_by: td_client_id, priority: 2}", "{column: td_client_id, table: 'site_xxx', order: first, order_by: td_client_id}"), "warning CDP0120", "WARNINGS: has 4 source_columns but priority is missing for: site_xxx");
        yield return new("source column order other than first/last", Ex1.Once("{column: td_client_id, table: 'site_aaa', order: first", "{column: td_client_id, table: 'site_aaa', order: newest"), "error CDP0116", "valid");
        yield return new("source column unknown field", Ex1.Once("{column: td_client_id, table: 'site_aaa', order: first", "{column: td_client_id, table: 'site_aaa', sort: first"), "error CDP0104", "valid");

        // YAML itself
        yield return new("unclosed flow list", Ex1.Once("merge_by_keys: [td_client_id, td_global_id]", "merge_by_keys: [td_client_id, td_global_id"), "error CDP0081", "❌ YAML parsing error: while parsing a flow sequence");
        yield return new("unclosed flow list at the end", "name: x\nkeys:\n  - name: email\ncanonical_ids:\n  - name: id\n    merge_by_keys: [email", "error CDP0081", "❌ YAML parsing error: while parsing a flow sequence");
        yield return new("duplicate mapping key", Ex1.Once("    merge_iterations: 5\n", "    merge_iterations: 5\n    merge_iterations: 6\n"), "error CDP0103", "valid");
        yield return new("not a mapping", "- name: x\n", "error CDP0082", "❌ Unexpected error: YAML file must contain a dictionary at the root level");
    }

    public static IEnumerable<string> Codes => Variants().Select(v => v.Verdict.Split(' ').Last()).Where(c => c.StartsWith("CDP", StringComparison.Ordinal)).Distinct();

    string folder = null!;

    [SetUp] public void CreateFolder() => Directory.CreateDirectory(folder = Path.Combine(Path.GetTempPath(), "cdp-td-variants-" + Guid.NewGuid().ToString("N")[..8]));
    [TearDown] public void DeleteFolder() => Directory.Delete(folder, true);

    [TestCaseSource(nameof(Variants))]
    public void VerdictAgreesWithTdsValidator(Variant v)
    {
        var (diagnostics, _) = Check(v.Yml, folder);
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var warnings = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        var all = string.Join("\n", diagnostics);
        switch (v.Verdict.Split(' '))
        {
            case ["clean"]:
                Assert.That(diagnostics, Is.Empty, all);
                break;
            case ["warning", var code]:
                Assert.Multiple(() =>
                {
                    Assert.That(errors, Is.Empty, all);
                    Assert.That(warnings.Select(w => w.Code), Has.Member(code), all);
                });
                break;
            case ["error", var code]:
                Assert.That(errors.Select(e => e.Code), Has.Member(code), all);
                break;
            default: Assert.Fail("unknown verdict " + v.Verdict); break;
        }
    }

    [Test]
    public void EveryErrorPointsIntoTheFile()
    {
        foreach (var v in Variants())
        {
            var (diagnostics, _) = Check(v.Yml, folder);
            var lines = v.Yml.Split('\n').Length;
            Assert.That(diagnostics.Select(d => (d.Location.File, InRange: d.Location.Line >= 1 && d.Location.Line <= lines)),
                Has.All.EqualTo((Path.Combine(folder, "unify.yml"), true)), v.Name + "\n" + string.Join("\n", diagnostics));
        }
    }

    /// <summary>Writes every variant to $CDP_TD_VARIANTS, to run TD's validator over them.</summary>
    [Test, Explicit("writes the variants for TD's validator")]
    public void WriteVariantsForTdsValidator()
    {
        var target = Environment.GetEnvironmentVariable("CDP_TD_VARIANTS") ?? Path.Combine(Path.GetTempPath(), "cdp-td-variants");
        Directory.CreateDirectory(target);
        var i = 0;
        foreach (var v in Variants())
            File.WriteAllText(Path.Combine(target, $"{++i:000}_{string.Concat(v.Name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_'))}.yml"), v.Yml);
        TestContext.Out.WriteLine($"{i} variants in {target}");
    }
}

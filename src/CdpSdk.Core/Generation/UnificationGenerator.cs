using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;
using CdpSdk.Core.Sql;

namespace CdpSdk.Core.Generation;

/// <summary>
/// unification/ in the layout of TD's CDP unification plugin: unif_runner.dig calls dynmic_prep_creation.dig
/// (TD's spelling), id_unification.dig (TD's unification API through http_call>, with config/unify.yml in
/// TD's schema) and enrich_runner.dig, configured by environment.yml, src_prep_params.yml and stage_enrich.yml.
/// TD's plugin renders its prep and enrich SQL at run time from those files with td_for_each>; here the model
/// knows every table and column, so the SQL is rendered now, per dialect, one file per table.
/// One function per file kind, so additions (master tables) stay separate.
/// </summary>
internal static class UnificationGenerator
{
    public const string Runner = "unif_runner";
    const string PrepWorkflow = "dynmic_prep_creation";
    const string UnifyWorkflow = "id_unification";
    const string EnrichWorkflow = "enrich_runner";
    const string Environment = "config/environment.yml";
    const string PrepParams = "config/src_prep_params.yml";
    const string StageEnrich = "config/stage_enrich.yml";

    public static (List<GeneratedFile>, List<string>) Generate(PipelineSpec spec, ISqlDialect sql)
    {
        var files = new List<GeneratedFile>
        {
            new(Environment, EnvironmentYml(spec)),
            new(PrepParams, SrcPrepParamsYml(spec)),
            new(StageEnrich, StageEnrichYml(spec, sql)),
            new(Runner + ".dig", RunnerDig(spec)),
            new(PrepWorkflow + ".dig", PrepDig(spec)),
            new(UnifyWorkflow + ".dig", IdUnificationDig(spec)),
            new(EnrichWorkflow + ".dig", EnrichDig(spec)),
        };
        foreach (var u in spec.Unifications)
        {
            files.Add(new GeneratedFile(UnifyYmlPath(spec, u), UnifyYml(spec, u)));
            foreach (var t in PlainTables(u))
            {
                files.Add(new GeneratedFile(PrepQueryPath(spec, u, t), UnificationSql.Prep(sql, u, t)));
                if (Enriches(u)) files.Add(new GeneratedFile(EnrichQueryPath(spec, u, t), UnificationSql.Enrich(sql, spec.Settings.Target, u, t)));
            }
            if (PlainTables(u).Any()) files.Add(new GeneratedFile(UnifInputQueryPath(spec, u), UnificationSql.UnifInput(sql, u, PlainTables(u).ToList(), Prefix(spec, u))));
        }
        return (files, [Runner]);
    }

    // TD's layout has one unification per project; several each get their own prefixed files.
    static string Prefix(PipelineSpec spec, UnificationSpec u) => spec.Unifications.Count == 1 ? "" : u.Name + "_";

    static string UnifyYmlPath(PipelineSpec spec, UnificationSpec u) => spec.Unifications.Count == 1 ? "config/unify.yml" : $"config/unify_{u.Name}.yml";

    static string PrepQueryPath(PipelineSpec spec, UnificationSpec u, UnifyTable t) => $"queries/{Prefix(spec, u)}{t.Table}_prep.sql";

    static string UnifInputQueryPath(PipelineSpec spec, UnificationSpec u) => $"queries/{Prefix(spec, u)}unif_input_tbl.sql";

    static string EnrichQueryPath(PipelineSpec spec, UnificationSpec u, UnifyTable t) => $"enrich/queries/{Prefix(spec, u)}{t.Table}_enrich.sql";

    internal static string UnifInputTable(PipelineSpec spec, UnificationSpec u) => Prefix(spec, u) + "unif_input";

    /// <summary>A user's unify.yml may name tables through ${…} variables; SQL is rendered only for plain names.</summary>
    static IEnumerable<UnifyTable> PlainTables(UnificationSpec u) =>
        u.Tables.Where(t => IsPlain(t.Database) && IsPlain(t.Table) && t.KeyColumns.All(c => IsPlain(c.Column)));

    static bool IsPlain(string name) => name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>
    /// The enrichment SQL knows the one id the model describes; a user's own unify.yml may define several,
    /// so its enriched tables are left as TD's API writes them (run_enrichments: true).
    /// </summary>
    static bool Enriches(UnificationSpec u) => u.UnifyYmlPath.Length == 0;

    /// <summary>config/environment.yml: the client and its databases, and TD's CDP API the runner calls.</summary>
    static string EnvironmentYml(PipelineSpec spec) => YamlText.Generated()
        .Pair(0, "client_short_name", spec.Settings.Client)
        .Pair(0, "client", spec.Settings.Client)
        .Pair(0, "source_database", spec.Settings.SourceDatabase)
        .Pair(0, "staging_database", spec.Settings.StagingDatabase)
        .Comment(0, "TD's CDP API; the Local target answers workflow_call in-process whatever the host.")
        .Pair(0, "unification_endpoint", spec.Settings.Endpoints.Unification)
        .ToString();

    /// <summary>config/src_prep_params.yml in TD's shape: per table its prep table and the columns under their key names.</summary>
    static string SrcPrepParamsYml(PipelineSpec spec)
    {
        var y = YamlText.Generated().Map(0, "globals")
            .Pair(1, "unif_input_tbl", spec.Unifications.Count == 1 ? "unif_input" : spec.Unifications[0].Name + "_unif_input")
            .Blank().Map(0, "prep_tbls");
        foreach (var u in spec.Unifications)
            foreach (var t in PlainTables(u))
            {
                y.Item(1, "src_tbl", t.Table)
                    .Pair(2, "src_db", t.Database)
                    .Pair(2, "snk_db", t.Database)
                    .Pair(2, "snk_tbl", Prefix(spec, u) + t.Table + "_prep")
                    .Map(2, "columns");
                // TD's own files write "- col:" followed by the column's keys at the same level.
                foreach (var c in t.KeyColumns)
                    y.ItemMap(3, "col").Pair(4, "name", c.Column).Pair(4, "alias_as", c.Key);
            }
        return y.ToString();
    }

    /// <summary>config/stage_enrich.yml in TD's shape: the id column and, per table, the key columns to join the lookup on.</summary>
    static string StageEnrichYml(PipelineSpec spec, ISqlDialect sql)
    {
        var first = spec.Unifications[0];
        var y = YamlText.Generated().Map(0, "globals")
            .Pair(1, "canonical_id", first.IdName)
            .Pair(1, "unif_name", first.Name)
            .Blank().Map(0, "tables");
        foreach (var u in spec.Unifications)
            foreach (var t in PlainTables(u))
            {
                y.Item(1, "database", t.Database)
                    .Pair(2, "table", t.Table)
                    .Pair(2, "engine", sql.Name)
                    .Pair(2, "bucket_cols", YamlValue.List([u.IdName]))
                    .Map(2, "key_columns");
                foreach (var c in t.KeyColumns)
                    y.Item(3, "column", c.Column).Pair(4, "key", c.Key);
            }
        return y.ToString();
    }

    /// <summary>unif_runner.dig: the one workflow Execute starts (and the one a schedule runs): prep, unify, enrich.</summary>
    static string RunnerDig(PipelineSpec spec) =>
        WorkflowGenerator.Workflow(spec, Phase.Unification, null, scheduled: true, [Environment])
            .Map(0, "+dynmic_prep_creation").Pair(1, "call>", $"{PrepWorkflow}.dig").Blank()
            .Map(0, "+id_unification").Pair(1, "call>", $"{UnifyWorkflow}.dig").Blank()
            .Map(0, "+enrich").Pair(1, "call>", $"{EnrichWorkflow}.dig").End();

    /// <summary>dynmic_prep_creation.dig: each table's key columns under their key names ({table}_prep), then unif_input over all of them.</summary>
    static string PrepDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, spec.Settings.StagingDatabase, scheduled: false, [Environment, PrepParams]);
        foreach (var u in spec.Unifications)
        {
            var tables = PlainTables(u).ToList();
            if (tables.Count == 0) continue;
            dig.Map(0, $"+prep_{u.Name}");
            dig.Map(1, "+create_database").Map(2, "td_ddl>").Pair(2, "create_databases", YamlValue.List(tables.Select(t => t.Database).Distinct())).Blank();
            foreach (var t in tables)
                dig.Map(1, $"+{t.Table}")
                    .Pair(2, "td>", PrepQueryPath(spec, u, t))
                    .Pair(2, "database", t.Database)
                    .Pair(2, "create_table", Prefix(spec, u) + t.Table + "_prep")
                    .Blank();
            dig.Map(1, "+unif_input_tbl")
                .Pair(2, "td>", UnifInputQueryPath(spec, u))
                .Pair(2, "database", tables[0].Database)
                .Pair(2, "create_table", UnifInputTable(spec, u))
                .Blank();
        }
        if (spec.Unifications.All(u => !PlainTables(u).Any()))
            dig.Map(0, "+nothing_to_prepare").Pair(1, "echo>", "The unify.yml names its tables through variables; TD's API reads them as they are.");
        return dig.End();
    }

    /// <summary>id_unification.dig: TD's unification API call per unification, as TD's plugin writes it.</summary>
    static string IdUnificationDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, null, scheduled: false, [Environment, PrepParams]);
        foreach (var u in spec.Unifications)
        {
            dig.Map(0, $"+unify_{u.Name}")
                .Pair(1, "http_call>", "${unification_endpoint}/unifications/workflow_call")
                .Pair(1, "method", "POST")
                .Map(1, "headers")
                .Item(2, "authorization", "${secret:td.apikey}")
                .Item(2, "content-type", "application/json")
                .Pair(1, "retry", true)
                .Pair(1, "content_format", "json")
                .Map(1, "content");
            // Only the id kind the unify.yml defines is run, as TD's plugin does.
            dig.Pair(2, u.IdMethod == IdMethod.PersistentId ? "run_persistent_ids" : "run_canonical_ids", true)
                .Pair(2, "run_enrichments", true)
                .Pair(2, "run_master_tables", true)
                .Pair(2, "full_refresh", u.UpdateStrategy == UpdateStrategy.Full)
                .Pair(2, "keep_debug_tables", false)
                .Map(2, "unification")
                .Include(3, UnifyYmlPath(spec, u))
                .Blank();
        }
        return dig.End();
    }

    /// <summary>enrich_runner.dig: every table with its rows and the id from the lookup, as enriched_{table} in cdp_unification_{name}.</summary>
    static string EnrichDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, spec.Unifications[0].Database, scheduled: false, [Environment, PrepParams, StageEnrich]);
        // The unification API creates its output database; saying so here (a no-op after the API ran) also
        // tells Deploy the project creates it, so it need not exist before the first run.
        dig.Map(0, "+create_database").Map(1, "td_ddl>")
            .Pair(1, "create_databases", YamlValue.List(spec.Unifications.Select(u => u.Database))).Blank();
        foreach (var u in spec.Unifications)
        {
            dig.Map(0, $"+enrich_{u.Name}");
            if (!Enriches(u))
            {
                dig.Pair(1, "echo>", $"{u.UnifyYmlPath} is used as is: its enriched tables are the ones TD's unification API wrote.").Blank();
                continue;
            }
            foreach (var t in PlainTables(u))
                dig.Map(1, $"+{t.Table}")
                    .Pair(2, "td>", EnrichQueryPath(spec, u, t))
                    .Pair(2, "database", u.Database)
                    .Pair(2, "create_table", t.EnrichedTable)
                    .Blank();
        }
        return dig.End();
    }

    /// <summary>
    /// config/unify.yml in TD's schema: keys (valid_regexp, invalid_texts), tables (incremental_columns,
    /// key_columns) and the id (persistent_ids or canonical_ids with merge_by_keys and iterations).
    /// </summary>
    internal static string UnifyYml(PipelineSpec spec, UnificationSpec u)
    {
        if (u.UnifyYmlPath.Length > 0) return ExistingUnifyYml(spec, u);

        var y = YamlText.Generated().Pair(0, "name", u.Name).Blank().Map(0, "keys");
        foreach (var k in u.Keys)
        {
            y.Item(1, "name", k.Name);
            if (k.ValidRegexp.Length > 0) y.Pair(2, "valid_regexp", k.ValidRegexp);
            y.Pair(2, "invalid_texts", YamlValue.List(InvalidTexts(k)));
        }
        y.Blank().Map(0, "tables");
        foreach (var t in u.Tables)
        {
            y.Item(1, "database", t.Database).Pair(2, "table", t.Table);
            // The source's incremental field survives hist-union and staging: TD reads only rows newer by it.
            var staged = spec.Staging.FirstOrDefault(s => s.Database == t.Database && s.Output == t.Table);
            if (staged is { IncrementalField.Length: > 0 }) y.Pair(2, "incremental_columns", YamlValue.List([staged.IncrementalField]));
            y.Map(2, "key_columns");
            foreach (var c in t.KeyColumns) y.Item(3, YamlValue.Map(("column", c.Column), ("key", c.Key)));
        }
        y.Blank().Map(0, u.IdMethod == IdMethod.PersistentId ? "persistent_ids" : "canonical_ids")
            .Item(1, "name", u.IdName)
            .Pair(2, "merge_by_keys", YamlValue.List(MergeByKeys(u)))
            .Pair(2, "merge_iterations", u.MergeIterations)
            .Pair(2, "incremental_merge_iterations", IncrementalMergeIterations(u));
        MasterTables(y, u);
        return y.ToString();
    }

    /// <summary>A key's invalid_texts as unify.yml lists them: '' first (a blank value never identifies anyone; TD's own samples list it too).</summary>
    internal static IEnumerable<string> InvalidTexts(UnifyKey k) => new[] { "" }.Concat(k.InvalidTexts).Distinct();

    /// <summary>The keys the id merges by, in key order, leaving out keys no table has.</summary>
    internal static IEnumerable<string> MergeByKeys(UnificationSpec u) =>
        u.Keys.Select(k => k.Name).Where(k => u.Tables.Any(t => t.KeyColumns.Any(c => c.Key == k)));

    /// <summary>TD's default for runs that only add records; never more than a full run's.</summary>
    internal static int IncrementalMergeIterations(UnificationSpec u) => Math.Min(2, u.MergeIterations);

    /// <summary>master_tables: one entry per MasterTable of the CdpUnificationMasterAttribute items, attributes in item order.</summary>
    static void MasterTables(YamlText y, UnificationSpec u)
    {
        if (u.MasterAttributes.Count == 0) return;
        y.Blank().Map(0, "master_tables");
        foreach (var table in u.MasterAttributes.GroupBy(a => a.MasterTable))
        {
            y.Item(1, "name", table.Key)
                .Pair(2, u.IdMethod == IdMethod.PersistentId ? "persistent_id" : "canonical_id", u.IdName)
                .Map(2, "attributes");
            foreach (var a in table)
            {
                y.Item(3, "name", a.Name);
                if (a.ArrayElements > 1) y.Pair(4, "array_elements", a.ArrayElements);
                if (a.ValidRegexp.Length > 0) y.Pair(4, "valid_regexp", a.ValidRegexp);
                if (a.InvalidTexts.Count > 0) y.Pair(4, "invalid_texts", YamlValue.List(a.InvalidTexts));
                y.Map(4, "source_columns");
                foreach (var c in a.Sources)
                {
                    var entries = new List<(string, YamlValue)> { ("table", c.Table), ("column", c.Column), ("priority", c.Priority), ("order", c.Order) };
                    if (c.OrderBy.Length > 0) entries.Add(("order_by", c.OrderBy));
                    y.Item(5, YamlValue.Map([.. entries]));
                }
            }
        }
    }

    /// <summary>A unify.yml the user already had is deployed as is (only line endings normalised).</summary>
    static string ExistingUnifyYml(PipelineSpec spec, UnificationSpec u)
    {
        var path = Path.GetFullPath(Path.Combine(spec.Settings.ProjectDirectory, u.UnifyYmlPath));
        if (!File.Exists(path))
            throw new CdpException("CDP1001", $"UnifyYml '{u.UnifyYmlPath}' of unification '{u.Name}' does not exist (looked for {path}).", u.At);
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }
}

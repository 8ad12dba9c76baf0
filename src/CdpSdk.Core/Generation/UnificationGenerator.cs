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
    static string EnvironmentYml(PipelineSpec spec) => new YamlText().Line(YamlText.Header)
        .Line("client_short_name: " + YamlText.Str(spec.Settings.Client))
        .Line("client: " + YamlText.Str(spec.Settings.Client))
        .Line("source_database: " + YamlText.Str(spec.Settings.SourceDatabase))
        .Line("staging_database: " + YamlText.Str(spec.Settings.StagingDatabase))
        .Line("# TD's CDP API; the Local target answers workflow_call in-process whatever the host.")
        .Line("unification_endpoint: " + YamlText.Str(spec.Settings.Endpoints.Unification))
        .ToString();

    /// <summary>config/src_prep_params.yml in TD's shape: per table its prep table and the columns under their key names.</summary>
    static string SrcPrepParamsYml(PipelineSpec spec)
    {
        var y = new YamlText().Line(YamlText.Header).Line("globals:")
            .Line(1, "unif_input_tbl: " + YamlText.Str(spec.Unifications.Count == 1 ? "unif_input" : spec.Unifications[0].Name + "_unif_input"))
            .Line().Line("prep_tbls:");
        foreach (var u in spec.Unifications)
            foreach (var t in PlainTables(u))
            {
                y.Line(1, "- src_tbl: " + YamlText.Str(t.Table))
                    .Line(2, "src_db: " + YamlText.Str(t.Database))
                    .Line(2, "snk_db: " + YamlText.Str(t.Database))
                    .Line(2, "snk_tbl: " + YamlText.Str(Prefix(spec, u) + t.Table + "_prep"))
                    .Line(2, "columns:");
                // TD's own files write "- col:" followed by the column's keys at the same level.
                foreach (var c in t.KeyColumns)
                    y.Line(3, "- col:").Line(4, "name: " + YamlText.Str(c.Column)).Line(4, "alias_as: " + YamlText.Str(c.Key));
            }
        return y.ToString();
    }

    /// <summary>config/stage_enrich.yml in TD's shape: the id column and, per table, the key columns to join the lookup on.</summary>
    static string StageEnrichYml(PipelineSpec spec, ISqlDialect sql)
    {
        var first = spec.Unifications[0];
        var y = new YamlText().Line(YamlText.Header).Line("globals:")
            .Line(1, "canonical_id: " + YamlText.Str(first.IdName))
            .Line(1, "unif_name: " + YamlText.Str(first.Name))
            .Line().Line("tables:");
        foreach (var u in spec.Unifications)
            foreach (var t in PlainTables(u))
            {
                y.Line(1, "- database: " + YamlText.Str(t.Database))
                    .Line(2, "table: " + YamlText.Str(t.Table))
                    .Line(2, "engine: " + sql.Name)
                    .Line(2, "bucket_cols: " + YamlText.List([u.IdName]))
                    .Line(2, "key_columns:");
                foreach (var c in t.KeyColumns)
                    y.Line(3, "- column: " + YamlText.Str(c.Column)).Line(4, "key: " + YamlText.Str(c.Key));
            }
        return y.ToString();
    }

    /// <summary>unif_runner.dig: the one workflow Execute starts (and the one a schedule runs): prep, unify, enrich.</summary>
    static string RunnerDig(PipelineSpec spec) =>
        WorkflowGenerator.Workflow(spec, Phase.Unification, null, scheduled: true, [Environment])
            .Line("+dynmic_prep_creation:").Line(1, $"call>: {PrepWorkflow}.dig").Line()
            .Line("+id_unification:").Line(1, $"call>: {UnifyWorkflow}.dig").Line()
            .Line("+enrich:").Line(1, $"call>: {EnrichWorkflow}.dig").End();

    /// <summary>dynmic_prep_creation.dig: each table's key columns under their key names ({table}_prep), then unif_input over all of them.</summary>
    static string PrepDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, spec.Settings.StagingDatabase, scheduled: false, [Environment, PrepParams]);
        foreach (var u in spec.Unifications)
        {
            var tables = PlainTables(u).ToList();
            if (tables.Count == 0) continue;
            dig.Line($"+prep_{u.Name}:");
            dig.Line(1, "+create_database:").Line(2, "td_ddl>:").Line(2, "create_databases: " + YamlText.List(tables.Select(t => t.Database).Distinct())).Line();
            foreach (var t in tables)
                dig.Line(1, $"+{t.Table}:")
                    .Line(2, "td>: " + PrepQueryPath(spec, u, t))
                    .Line(2, "database: " + YamlText.Str(t.Database))
                    .Line(2, "create_table: " + YamlText.Str(Prefix(spec, u) + t.Table + "_prep"))
                    .Line();
            dig.Line(1, "+unif_input_tbl:")
                .Line(2, "td>: " + UnifInputQueryPath(spec, u))
                .Line(2, "database: " + YamlText.Str(tables[0].Database))
                .Line(2, "create_table: " + YamlText.Str(UnifInputTable(spec, u)))
                .Line();
        }
        if (spec.Unifications.All(u => !PlainTables(u).Any()))
            dig.Line("+nothing_to_prepare:").Line(1, "echo>: The unify.yml names its tables through variables; TD's API reads them as they are.");
        return dig.End();
    }

    /// <summary>id_unification.dig: TD's unification API call per unification, as TD's plugin writes it.</summary>
    static string IdUnificationDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, null, scheduled: false, [Environment, PrepParams]);
        foreach (var u in spec.Unifications)
        {
            dig.Line($"+unify_{u.Name}:")
                .Line(1, "http_call>: ${unification_endpoint}/unifications/workflow_call")
                .Line(1, "method: POST")
                .Line(1, "headers:")
                .Line(2, "- authorization: ${secret:td.apikey}")
                .Line(2, "- content-type: application/json")
                .Line(1, "retry: true")
                .Line(1, "content_format: json")
                .Line(1, "content:");
            // Only the id kind the unify.yml defines is run, as TD's plugin does.
            dig.Line(2, (u.IdMethod == IdMethod.PersistentId ? "run_persistent_ids" : "run_canonical_ids") + ": true")
                .Line(2, "run_enrichments: true")
                .Line(2, "run_master_tables: true")
                .Line(2, "full_refresh: " + (u.UpdateStrategy == UpdateStrategy.Full ? "true" : "false"))
                .Line(2, "keep_debug_tables: false")
                .Line(2, "unification:")
                .Line(3, "!include : " + UnifyYmlPath(spec, u))
                .Line();
        }
        return dig.End();
    }

    /// <summary>enrich_runner.dig: every table with its rows and the id from the lookup, as enriched_{table} in cdp_unification_{name}.</summary>
    static string EnrichDig(PipelineSpec spec)
    {
        var dig = WorkflowGenerator.Workflow(spec, Phase.Unification, spec.Unifications[0].Database, scheduled: false, [Environment, PrepParams, StageEnrich]);
        // The unification API creates its output database; saying so here (a no-op after the API ran) also
        // tells Deploy the project creates it, so it need not exist before the first run.
        dig.Line("+create_database:").Line(1, "td_ddl>:")
            .Line(1, "create_databases: " + YamlText.List(spec.Unifications.Select(u => u.Database))).Line();
        foreach (var u in spec.Unifications)
        {
            dig.Line($"+enrich_{u.Name}:");
            if (!Enriches(u))
            {
                dig.Line(1, "echo>: " + YamlText.Str($"{u.UnifyYmlPath} is used as is: its enriched tables are the ones TD's unification API wrote.")).Line();
                continue;
            }
            foreach (var t in PlainTables(u))
                dig.Line(1, $"+{t.Table}:")
                    .Line(2, "td>: " + EnrichQueryPath(spec, u, t))
                    .Line(2, "database: " + YamlText.Str(u.Database))
                    .Line(2, "create_table: " + YamlText.Str("enriched_" + t.Table))
                    .Line();
        }
        return dig.End();
    }

    /// <summary>
    /// config/unify.yml in TD's schema: keys (valid_regexp, invalid_texts), tables (incremental_columns,
    /// key_columns) and the id (persistent_ids or canonical_ids with merge_by_keys and iterations).
    /// </summary>
    static string UnifyYml(PipelineSpec spec, UnificationSpec u)
    {
        if (u.UnifyYmlPath.Length > 0) return ExistingUnifyYml(spec, u);

        var y = new YamlText().Line(YamlText.Header).Line("name: " + u.Name).Line().Line("keys:");
        foreach (var k in u.Keys)
        {
            y.Line(1, "- name: " + k.Name);
            if (k.ValidRegexp.Length > 0) y.Line(2, "valid_regexp: " + YamlText.Str(k.ValidRegexp));
            // A blank value never identifies anyone; TD's own samples list '' too.
            y.Line(2, "invalid_texts: " + YamlText.List(new[] { "" }.Concat(k.InvalidTexts).Distinct()));
        }
        y.Line().Line("tables:");
        foreach (var t in u.Tables)
        {
            y.Line(1, "- database: " + YamlText.Str(t.Database)).Line(2, "table: " + YamlText.Str(t.Table));
            // The source's incremental field survives hist-union and staging: TD reads only rows newer by it.
            var staged = spec.Staging.FirstOrDefault(s => s.Database == t.Database && s.Output == t.Table);
            if (staged is { IncrementalField.Length: > 0 }) y.Line(2, "incremental_columns: " + YamlText.List([staged.IncrementalField]));
            y.Line(2, "key_columns:");
            foreach (var c in t.KeyColumns) y.Line(3, $"- {{column: {YamlText.Str(c.Column)}, key: {YamlText.Str(c.Key)}}}");
        }
        var keyOrder = u.Keys.Select(k => k.Name).Where(k => u.Tables.Any(t => t.KeyColumns.Any(c => c.Key == k)));
        y.Line().Line(u.IdMethod == IdMethod.PersistentId ? "persistent_ids:" : "canonical_ids:")
            .Line(1, "- name: " + u.IdName)
            .Line(2, "merge_by_keys: " + YamlText.List(keyOrder))
            .Line(2, "merge_iterations: " + u.MergeIterations.ToString(System.Globalization.CultureInfo.InvariantCulture))
            // TD's default for runs that only add records; never more than a full run's.
            .Line(2, "incremental_merge_iterations: " + Math.Min(2, u.MergeIterations).ToString(System.Globalization.CultureInfo.InvariantCulture));
        MasterTables(y, u);
        return y.ToString();
    }

    /// <summary>master_tables: one entry per MasterTable of the CdpUnificationMasterAttribute items, attributes in item order.</summary>
    static void MasterTables(YamlText y, UnificationSpec u)
    {
        if (u.MasterAttributes.Count == 0) return;
        y.Line().Line("master_tables:");
        foreach (var table in u.MasterAttributes.GroupBy(a => a.MasterTable))
        {
            y.Line(1, "- name: " + YamlText.Str(table.Key))
                .Line(2, (u.IdMethod == IdMethod.PersistentId ? "persistent_id: " : "canonical_id: ") + u.IdName)
                .Line(2, "attributes:");
            foreach (var a in table)
            {
                y.Line(3, "- name: " + YamlText.Str(a.Name));
                if (a.ArrayElements > 1) y.Line(4, "array_elements: " + a.ArrayElements.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (a.ValidRegexp.Length > 0) y.Line(4, "valid_regexp: " + YamlText.Str(a.ValidRegexp));
                if (a.InvalidTexts.Count > 0) y.Line(4, "invalid_texts: " + YamlText.List(a.InvalidTexts));
                y.Line(4, "source_columns:");
                foreach (var c in a.Sources)
                    y.Line(5, $"- {{table: {YamlText.Str(c.Table)}, column: {YamlText.Str(c.Column)}, priority: {c.Priority.ToString(System.Globalization.CultureInfo.InvariantCulture)}, order: {c.Order}"
                        + (c.OrderBy.Length > 0 ? $", order_by: {YamlText.Str(c.OrderBy)}" : "") + "}");
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

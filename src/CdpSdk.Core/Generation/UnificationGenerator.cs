using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Generation;

/// <summary>
/// unification/: unif_runner.dig calls TD's unification API (workflow_call) with config/unify.yml in TD's
/// own schema, so the same project runs on TD and on the Local engine that serves that call.
/// </summary>
internal static class UnificationGenerator
{
    public static (List<GeneratedFile>, List<string>) Generate(PipelineSpec spec)
    {
        var files = new List<GeneratedFile> { new("config/environment.yml", Environment(spec)) };
        var dig = new YamlText().Line(YamlText.Header).Line("timezone: UTC").Line()
            .Line("_export:").Line(1, "!include : config/environment.yml").Line();
        foreach (var u in spec.Unifications)
        {
            // TD's layout has one config/unify.yml; several unifications each get their own file.
            var config = spec.Unifications.Count == 1 ? "config/unify.yml" : $"config/unify_{u.Name}.yml";
            files.Add(new GeneratedFile(config, UnifyYml(spec, u)));
            dig.Line($"+unify_{u.Name}:")
                .Line(1, "http_call>: ${unification_endpoint}/unifications/workflow_call")
                .Line(1, "method: POST")
                .Line(1, "headers:").Line(2, "- authorization: ${secret:td.apikey}")
                .Line(1, "retry: true")
                .Line(1, "content_format: json")
                .Line(1, "content:")
                .Line(2, "run_persistent_ids: true")
                .Line(2, "run_canonical_ids: true")
                .Line(2, "run_enrichments: true")
                .Line(2, "run_master_tables: true")
                .Line(2, "full_refresh: " + (u.UpdateStrategy == UpdateStrategy.Full ? "true" : "false"))
                .Line(2, "keep_debug_tables: false")
                .Line(2, "unification:")
                .Line(3, "!include : " + config)
                .Line();
        }
        files.Add(new GeneratedFile("unif_runner.dig", dig.ToString().TrimEnd('\n') + "\n"));
        return (files, ["unif_runner"]);
    }

    static string Environment(PipelineSpec spec) => new YamlText().Line(YamlText.Header)
        .Line("# TD's CDP API; the Local target answers workflow_call in-process whatever the host.")
        .Line("unification_endpoint: " + YamlText.Str(spec.Settings.Endpoints.Unification))
        .Line("client: " + YamlText.Str(spec.Settings.Client))
        .Line("staging_database: " + YamlText.Str(spec.Settings.StagingDatabase))
        .ToString();

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
            y.Line(1, "- database: " + YamlText.Str(t.Database)).Line(2, "table: " + YamlText.Str(t.Table)).Line(2, "key_columns:");
            foreach (var c in t.KeyColumns) y.Line(3, $"- {{column: {YamlText.Str(c.Column)}, key: {YamlText.Str(c.Key)}}}");
        }
        var keyOrder = u.Keys.Select(k => k.Name).Where(k => u.Tables.Any(t => t.KeyColumns.Any(c => c.Key == k)));
        y.Line().Line(u.IdMethod == IdMethod.PersistentId ? "persistent_ids:" : "canonical_ids:")
            .Line(1, "- name: " + u.IdName)
            .Line(2, "merge_by_keys: " + YamlText.List(keyOrder))
            .Line(2, "merge_iterations: " + u.MergeIterations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return y.ToString();
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

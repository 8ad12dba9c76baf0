using System.Globalization;
using System.Text.RegularExpressions;
using CdpSdk.Core.Generation;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Reads CdpCheck items (data-quality rules) and the settings that govern them. A check names the phase
/// whose Validate runs it and a table that phase produces; every problem points at the item's line.
/// </summary>
internal static partial class CheckReader
{
    static readonly IReadOnlyDictionary<string, CheckSeverity> Severities = new Dictionary<string, CheckSeverity>
    {
        ["error"] = CheckSeverity.Error,
        ["warn"] = CheckSeverity.Warn,
    };

    /// <summary>The type families a schema check understands; each matches the names Presto and Hive give (Local's typeof answers Presto's names).</summary>
    public static readonly IReadOnlyList<string> TypeFamilies = ["string", "integer", "number"];

    public static GlobalSettings ReadSettings(ReadContext ctx, GlobalSettings settings)
    {
        var p = ctx.Project;
        var text = p.Property("CdpWarningsAsErrors");
        var warningsAsErrors = false;
        if (text.Length > 0 && !bool.TryParse(text, out warningsAsErrors))
            ctx.Error("CDP0261", $"CdpWarningsAsErrors '{text}' must be true or false.", p.PropertyLocation("CdpWarningsAsErrors"));
        var reportDir = p.Property("CdpReportDir");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.Combine(settings.ProjectDirectory, reportDir.Length == 0 ? Path.Combine("bin", "cdp") : reportDir)));
        return settings with { WarningsAsErrors = warningsAsErrors, ReportDir = full };
    }

    public static IReadOnlyList<CheckSpec> Read(ReadContext ctx, PipelineSpec spec)
    {
        var checks = new List<CheckSpec>();
        foreach (var item in ctx.Project.ItemsOf("CdpCheck"))
        {
            var before = ctx.Diagnostics.Count;
            var check = ReadOne(ctx, spec, item);
            if (checks.Any(c => c.Name == item.Identity))
                ctx.Error("CDP0259", $"CdpCheck '{item.Identity}' is declared twice; each check needs its own name.", item.Location);
            if (check is not null && ctx.Diagnostics.Count == before) checks.Add(check);
        }
        return checks;
    }

    static CheckSpec? ReadOne(ReadContext ctx, PipelineSpec spec, RawItem item)
    {
        var name = item.Identity;
        var at = item.Location;
        if (!NameRules.IsSymbol(name))
            ctx.Error("CDP0259", $"CdpCheck '{name}' is not a valid check name: use letters, digits and underscore, starting with a letter.", at);

        var ruleText = item.Get("Rule");
        var sqlFile = item.Get("Sql");
        if (sqlFile.Length > 0 && ruleText.Length == 0) ruleText = "sql";
        if (!CheckRules.ByName.TryGetValue(ruleText, out var rule))
        {
            ctx.Error("CDP0250", $"CdpCheck '{name}' has {(ruleText.Length == 0 ? "no Rule" : $"unknown Rule '{ruleText}'")}. Use one of: {string.Join(", ", CheckRules.ByName.Keys)}.", at);
            return null;
        }
        var phaseText = item.Get("Phase");
        if (!PhaseOrder.TryParse(phaseText, out var phase))
        {
            ctx.Error("CDP0251", $"CdpCheck '{name}' has {(phaseText.Length == 0 ? "no Phase" : $"unknown Phase '{phaseText}'")}: name the phase whose table it checks ({string.Join(", ", PhaseOrder.All)}).", at);
            return null;
        }

        if (rule == CheckRule.Sql || sqlFile.Length > 0) return ReadCustom(ctx, spec, item, phase, rule, sqlFile);

        var (database, table) = ReadTable(ctx, spec, item, phase);
        var severity = ctx.ParseChoice(item.Get("Severity"), rule == CheckRule.RowCountChange ? CheckSeverity.Warn : CheckSeverity.Error,
            Severities, "CDP0254", $"Severity of CdpCheck '{name}'", at);
        var (columns, types) = ReadColumns(ctx, item, rule);
        var values = NameRules.SplitList(item.Get("Values"));
        if (rule == CheckRule.AcceptedValues && values.Count == 0)
            ctx.Error("CDP0255", $"CdpCheck '{name}' (accepted_values) needs Values: the allowed values separated by commas.", at);

        string toDatabase = "", toTable = "", field = "";
        if (rule == CheckRule.Relationships) (toDatabase, toTable, field) = ReadRelationship(ctx, item, database, columns);

        var min = Number(ctx, item, "Min");
        var max = Number(ctx, item, "Max");
        if (rule == CheckRule.Range && min is null && max is null)
            ctx.Error("CDP0257", $"CdpCheck '{name}' (range) needs Min, Max or both.", at);
        if (min > max)
            ctx.Error("CDP0257", $"CdpCheck '{name}' has Min {min} above Max {max}.", at);
        if (rule == CheckRule.Completeness) min ??= 100;
        if (rule == CheckRule.Completeness && min is < 0 or > 100)
            ctx.Error("CDP0257", $"CdpCheck '{name}' (completeness): Min is a percentage from 0 to 100.", at);
        if (rule == CheckRule.RowCountChange) max ??= CheckRules.DefaultMaxRowCountChange;

        var maxAge = MaxAge(ctx, item);
        return new CheckSpec
        {
            Name = name, Phase = phase, Rule = rule, Database = database, Table = table,
            Columns = columns, ColumnTypes = types, Values = values,
            ToDatabase = toDatabase, ToTable = toTable, Field = field,
            Min = min, Max = max, MaxAge = maxAge,
            Severity = severity, At = at,
        };
    }

    /// <summary>
    /// A custom check: a query returning the bad rows, run in the phase's database unless Database names
    /// another; Table (optional) names the table it is about in the report.
    /// </summary>
    static CheckSpec? ReadCustom(ReadContext ctx, PipelineSpec spec, RawItem item, Phase phase, CheckRule rule, string sqlFile)
    {
        var at = item.Location;
        if (rule != CheckRule.Sql)
        {
            ctx.Error("CDP0313", $"CdpCheck '{item.Identity}' has both Rule '{item.Get("Rule")}' and Sql: a check is a built-in rule or a query; drop one.", at);
            return null;
        }
        if (sqlFile.Length == 0)
        {
            ctx.Error("CDP0310", $"CdpCheck '{item.Identity}' (sql) needs Sql: the file of a query returning the rows that break the rule.", at);
            return null;
        }
        foreach (var unused in new[] { "Column", "Values", "To", "Field", "Min", "Max", "MaxAge" }.Where(m => item.Get(m).Length > 0))
            ctx.Error("CDP0313", $"CdpCheck '{item.Identity}' (sql) does not use {unused}: its query decides what is checked.", at);
        var database = item.Get("Database");
        if (database.Length > 0 && !NameRules.IsDatabase(database))
            ctx.Error("CDP0252", $"Database '{database}' of CdpCheck '{item.Identity}' is not a valid database name.", at);
        var produced = PhaseTables.Expected(spec, phase);
        if (database.Length == 0) database = produced.Select(t => t.Database).FirstOrDefault() ?? "";
        var table = item.Get("Table");
        if (table.Length > 0 && !NameRules.IsTable(table))
            ctx.Error("CDP0252", $"CdpCheck '{item.Identity}': '{table}' is not a table name.", at);
        var severity = ctx.ParseChoice(item.Get("Severity"), CheckSeverity.Error, Severities, "CDP0254", $"Severity of CdpCheck '{item.Identity}'", at);
        var query = CheckSqlFile.Read(ctx, item.Identity, sqlFile, at);
        if (query is null) return null;
        return new CheckSpec
        {
            Name = item.Identity, Phase = phase, Rule = CheckRule.Sql, Database = database, Table = table, Severity = severity, At = at,
            Query = query,
            SqlFile = sqlFile,
        };
    }

    /// <summary>The table must be one the phase produces, unless a Database is named (any table there may be checked).</summary>
    static (string Database, string Table) ReadTable(ReadContext ctx, PipelineSpec spec, RawItem item, Phase phase)
    {
        var table = item.Get("Table");
        var database = item.Get("Database");
        var produced = PhaseTables.Expected(spec, phase);
        if (table.Length == 0 || !NameRules.IsTable(table))
        {
            ctx.Error("CDP0252", $"CdpCheck '{item.Identity}' needs a Table{(table.Length == 0 ? "" : $" ('{table}' is not a table name)")}. {phase} produces: {string.Join(", ", produced.Select(t => t.Table))}.", item.Location);
            return ("", table);
        }
        if (database.Length > 0)
        {
            if (!NameRules.IsDatabase(database))
                ctx.Error("CDP0252", $"Database '{database}' of CdpCheck '{item.Identity}' is not a valid database name.", item.Location);
            return (database, table);
        }
        var match = produced.Where(t => t.Table == table).ToList();
        if (match.Count == 0)
        {
            ctx.Error("CDP0252", $"CdpCheck '{item.Identity}': {phase} does not produce a table '{table}'. It produces: {string.Join(", ", produced.Select(t => t.Table))} (set Database to check another table).", item.Location);
            return ("", table);
        }
        return (match[0].Database, table);
    }

    static (IReadOnlyList<string>, IReadOnlyDictionary<string, string>) ReadColumns(ReadContext ctx, RawItem item, CheckRule rule)
    {
        var entries = NameRules.SplitList(item.Get("Column"));
        var columns = new List<string>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var parts = entry.Split(':', 2, StringSplitOptions.TrimEntries);
            if (!NameRules.IsSymbol(parts[0]))
            {
                ctx.Error("CDP0253", $"'{parts[0]}' in Column of CdpCheck '{item.Identity}' is not a column name.", item.Location);
                continue;
            }
            columns.Add(parts[0]);
            if (parts.Length == 2 && rule == CheckRule.Schema)
            {
                var family = parts[1].ToLowerInvariant();
                if (!TypeFamilies.Contains(family))
                    ctx.Error("CDP0262", $"Type '{parts[1]}' of column {parts[0]} in CdpCheck '{item.Identity}' is not known. Use one of: {string.Join(", ", TypeFamilies)}.", item.Location);
                types[parts[0]] = family;
            }
            else if (parts.Length == 2)
                ctx.Error("CDP0253", $"CdpCheck '{item.Identity}': 'column:type' is for the schema rule only; write just the column name.", item.Location);
        }
        if (entries.Count == 0 && rule != CheckRule.RowCountChange)
            ctx.Error("CDP0253", $"CdpCheck '{item.Identity}' ({CheckRules.Name(rule)}) needs a Column{(rule == CheckRule.Schema ? ": the required columns, as name or name:type, separated by commas" : "")}.", item.Location);
        else if (columns.Count > 1 && rule != CheckRule.Schema)
            ctx.Error("CDP0253", $"CdpCheck '{item.Identity}' ({CheckRules.Name(rule)}) checks one Column; declare one check per column.", item.Location);
        return (columns, types);
    }

    static (string, string, string) ReadRelationship(ReadContext ctx, RawItem item, string database, IReadOnlyList<string> columns)
    {
        var to = item.Get("To");
        var parts = to.Split('.', StringSplitOptions.TrimEntries);
        var (toDatabase, toTable) = parts.Length == 2 ? (parts[0], parts[1]) : (database, to);
        if (to.Length == 0 || parts.Length > 2 || !NameRules.IsTable(toTable) || (parts.Length == 2 && !NameRules.IsDatabase(toDatabase)))
            ctx.Error("CDP0256", $"CdpCheck '{item.Identity}' (relationships) needs To: the referenced table, as table or database.table{(to.Length == 0 ? "" : $" ('{to}' is neither)")}.", item.Location);
        var field = item.Get("Field") is { Length: > 0 } f ? f : columns.FirstOrDefault() ?? "";
        if (field.Length > 0 && !NameRules.IsSymbol(field))
            ctx.Error("CDP0256", $"Field '{field}' of CdpCheck '{item.Identity}' is not a column name.", item.Location);
        return (toDatabase, toTable, field);
    }

    static double? Number(ReadContext ctx, RawItem item, string metadata)
    {
        var text = item.Get(metadata);
        if (text.Length == 0) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        ctx.Error("CDP0257", $"{metadata} '{text}' of CdpCheck '{item.Identity}' is not a number.", item.Location);
        return null;
    }

    /// <summary>MaxAge as a number and a unit (30m, 12h, 7d) or a .NET time span (1.12:00:00).</summary>
    static TimeSpan? MaxAge(ReadContext ctx, RawItem item)
    {
        var text = item.Get("MaxAge");
        if (text.Length == 0) return null;
        var m = AgePattern().Match(text);
        if (m.Success)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            return m.Groups[2].Value.ToLowerInvariant() switch { "m" => TimeSpan.FromMinutes(n), "h" => TimeSpan.FromHours(n), _ => TimeSpan.FromDays(n) };
        }
        if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero) return span;
        ctx.Error("CDP0258", $"MaxAge '{text}' of CdpCheck '{item.Identity}' is not a duration: write e.g. 30m, 12h or 7d.", item.Location);
        return null;
    }

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?)\s*([mhdMHD])\s*$")]
    private static partial Regex AgePattern();
}

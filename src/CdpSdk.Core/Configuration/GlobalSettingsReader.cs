using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads and checks the pipeline-wide properties.</summary>
internal static class GlobalSettingsReader
{
    static readonly Dictionary<string, TargetKind> Targets = new() { ["Local"] = TargetKind.Local, ["TreasureData"] = TargetKind.TreasureData };
    static readonly Dictionary<string, SqlEngine> Engines = new() { ["presto"] = SqlEngine.Presto, ["hive"] = SqlEngine.Hive };
    static readonly Dictionary<string, RunMode> Modes = new() { ["HumanInLoop"] = RunMode.HumanInLoop, ["Autonomous"] = RunMode.Autonomous };
    static readonly Dictionary<string, WarehouseStorage> Storages = new() { ["Fast"] = WarehouseStorage.Fast, ["Compact"] = WarehouseStorage.Compact };

    public static GlobalSettings Read(ReadContext ctx)
    {
        var p = ctx.Project;
        var client = p.Property("CdpClient");
        if (client.Length == 0)
            ctx.Error("CDP0010", "CdpClient is required: add <CdpClient>yourclient</CdpClient> to a PropertyGroup.", p.PropertyLocation("CdpClient"));
        else if (!NameRules.IsClient(client))
            ctx.Error("CDP0011", $"CdpClient '{client}' is not valid: use lowercase letters, digits and underscore, starting with a letter (e.g. 'acme_retail').", p.PropertyLocation("CdpClient"));

        var target = ctx.ParseChoice(p.Property("CdpTarget"), TargetKind.Local, Targets, "CDP0012", "CdpTarget", p.PropertyLocation("CdpTarget"));
        var engine = ctx.ParseChoice(p.Property("CdpSqlEngine"), SqlEngine.Presto, Engines, "CDP0015", "CdpSqlEngine", p.PropertyLocation("CdpSqlEngine"));
        var mode = ctx.ParseChoice(p.Property("CdpMode"), RunMode.HumanInLoop, Modes, "CDP0016", "CdpMode", p.PropertyLocation("CdpMode"));

        var phase = p.Property("CdpPhase");
        if (phase.Length > 0 && !PhaseOrder.TryParse(phase, out _))
            ctx.Error("CDP0017", $"CdpPhase '{phase}' is not a phase. Use one of: {string.Join(", ", PhaseOrder.All)}.", p.PropertyLocation("CdpPhase"));

        var (region, endpoints) = EndpointResolver.Resolve(ctx);

        var safeClient = NameRules.IsClient(client) ? client : "client";
        var sourceDb = Database(ctx, "CdpSourceDatabase", safeClient + "_src");
        var stagingDb = Database(ctx, "CdpStagingDatabase", safeClient + "_stg");

        var projectDir = p.ProjectDirectory;
        var warehouse = FullDir(projectDir, p.Property("CdpWarehouseDir"), "warehouse");
        var storage = ctx.ParseChoice(p.Property("CdpWarehouseStorage"), WarehouseStorage.Fast, Storages, "CDP0165", "CdpWarehouseStorage", p.PropertyLocation("CdpWarehouseStorage"));
        var generated = FullDir(projectDir, p.Property("CdpGeneratedDir"), Path.Combine("obj", "cdp", "workflows"));

        var coverage = ctx.Number("CdpMinIdCoverage", 90, 0, 100);
        var poll = ctx.Number("CdpMonitorPollInterval", 30, 0, 3600);
        var timeout = ctx.Number("CdpMonitorTimeout", 120, 1, 7 * 24 * 60);
        PlanSettingsReader.Check(ctx);

        return new GlobalSettings
        {
            Client = client, Target = target, Region = region, Endpoints = endpoints, Engine = engine, Mode = mode,
            SourceDatabase = sourceDb, StagingDatabase = stagingDb,
            ProjectDirectory = projectDir, WarehouseDir = warehouse, WarehouseStorage = storage, GeneratedDir = generated,
            MinIdCoverage = coverage, PollInterval = TimeSpan.FromSeconds(poll), MonitorTimeout = TimeSpan.FromMinutes(timeout),
            TreasureData = TreasureDataSettingsReader.Read(ctx, projectDir),
            Schedules = ScheduleRules.Read(ctx),
            Healing = HealingSettingsReader.Read(ctx, mode),
        };
    }

    static string Database(ReadContext ctx, string property, string fallback)
    {
        var value = ctx.Project.Property(property);
        if (value.Length == 0) return fallback;
        if (!NameRules.IsDatabase(value))
            ctx.Error("CDP0018", $"{property} '{value}' is not a valid TD database name: use 3 to 256 lowercase letters, digits or underscores.", ctx.Project.PropertyLocation(property));
        return value;
    }

    static string FullDir(string projectDir, string value, string fallback)
    {
        var path = Path.GetFullPath(Path.Combine(projectDir, value.Length == 0 ? fallback : value));
        return Path.TrimEndingDirectorySeparator(path);
    }
}

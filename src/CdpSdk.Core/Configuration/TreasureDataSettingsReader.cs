using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Reads the TreasureData target's runtime properties (CdpCreateMissingDatabases, CdpKillOnCancel, CdpSecretsFile, CdpHttp*).</summary>
internal static class TreasureDataSettingsReader
{
    static readonly Dictionary<string, bool> Booleans = new() { ["true"] = true, ["false"] = false };

    public static TreasureDataSettings Read(ReadContext ctx, string projectDir)
    {
        var p = ctx.Project;
        var secrets = p.Property("CdpSecretsFile");
        if (secrets.Length > 0)
        {
            secrets = Path.GetFullPath(Path.Combine(projectDir, secrets));
            // Only the TreasureData target uploads secrets; a Local build need not have the file.
            if (!File.Exists(secrets) && p.Property("CdpTarget").Equals("TreasureData", StringComparison.OrdinalIgnoreCase))
                ctx.Error("CDP0201", $"CdpSecretsFile '{secrets}' does not exist. Create it as a JSON object of secret keys and values, or remove the property and use CDP_SECRET_* environment variables.", p.PropertyLocation("CdpSecretsFile"));
        }
        return new TreasureDataSettings
        {
            CreateMissingDatabases = Flag(ctx, "CdpCreateMissingDatabases"),
            KillOnCancel = Flag(ctx, "CdpKillOnCancel"),
            SecretsFile = secrets,
            HttpTimeout = TimeSpan.FromSeconds(ctx.Number("CdpHttpTimeout", 60, 1, 3600)),
            HttpMaxRetries = (int)ctx.Number("CdpHttpMaxRetries", 6, 0, 20),
            HttpRetryDelay = TimeSpan.FromSeconds(ctx.Number("CdpHttpRetryDelay", 1, 0.01, 60)),
        };
    }

    static bool Flag(ReadContext ctx, string property) =>
        ctx.ParseChoice(ctx.Project.Property(property), false, Booleans, "CDP0200", property, ctx.Project.PropertyLocation(property));
}

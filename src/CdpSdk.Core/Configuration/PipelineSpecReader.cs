using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>The result of reading a project: the spec when there were no errors, and every finding.</summary>
public sealed record ReadResult(PipelineSpec? Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Succeeded => Spec is not null;
}

/// <summary>Turns what a .cdpproj says into a validated, immutable <see cref="PipelineSpec"/>.</summary>
public static class PipelineSpecReader
{
    /// <param name="apiKey">Looked up only when the target needs one; injected so tests need no environment.</param>
    public static ReadResult Read(RawProject project, Func<ApiKey?> apiKey)
    {
        var ctx = new ReadContext(project);
        DeclaredNamesCheck.Run(ctx);
        var settings = CheckReader.ReadSettings(ctx, GlobalSettingsReader.Read(ctx));
        if (settings.Target == TargetKind.TreasureData) CheckApiKey(ctx, apiKey());

        var sources = IngestionReader.ReadSources(ctx, settings);
        var objects = IngestionReader.ReadObjects(ctx, settings, sources);
        var histUnion = TransformReader.ReadHistUnion(ctx, sources, objects);
        var staging = TransformReader.ReadStaging(ctx, settings, histUnion);
        var unifications = UnificationReader.Read(ctx, staging);

        var spec = new PipelineSpec(settings, sources, objects, histUnion, staging, unifications);
        spec = spec with { Checks = CheckReader.Read(ctx, spec) };
        if (ctx.HasErrors) spec = null;
        return new ReadResult(spec, ctx.Diagnostics);
    }

    /// <summary>
    /// A key that is there must be well formed; a missing one is not an error here: generating and checking
    /// the workflow projects is offline (CI does it without a key), and Deploy reports CDP0020 when it needs one.
    /// </summary>
    static void CheckApiKey(ReadContext ctx, ApiKey? key)
    {
        var at = ctx.Project.PropertyLocation("CdpTarget");
        if (key is not null && !ApiKey.IsWellFormed(key.Value))
            ctx.Error("CDP0021", $"The TD API key from {key.Origin} ({key.Masked}) is malformed: it must look like <user id>/<key>, e.g. 12345/abcdef0123….", at);
    }
}

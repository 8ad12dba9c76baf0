using System.Text.Json;
using System.Text.Json.Serialization;

namespace CdpSdk.Core.Model;

/// <summary>
/// The resolved spec on disk (obj/cdp/spec.json), so every step task of a build works from the
/// configuration that was validated once, instead of re-reading MSBuild items. Holds no secret.
/// </summary>
public static class SpecFile
{
    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(PipelineSpec spec) => JsonSerializer.Serialize(spec, Json).ReplaceLineEndings("\n");

    public static PipelineSpec Read(string path) =>
        JsonSerializer.Deserialize<PipelineSpec>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no pipeline spec.");

    /// <summary>Writes only when the content differs, so the file's timestamp means "the configuration changed".</summary>
    public static bool WriteIfChanged(string path, string content)
    {
        if (File.Exists(path) && File.ReadAllText(path) == content) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
        return true;
    }
}

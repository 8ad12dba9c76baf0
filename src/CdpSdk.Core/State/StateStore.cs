using System.Text.Json;
using System.Text.Json.Serialization;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Core.State;

/// <summary>
/// Reads and updates pipeline_state.json. Updates hold an exclusive lock file so two builds of the same
/// project cannot interleave, and are written to a temporary file then moved, so a killed build never
/// leaves half a state behind.
/// </summary>
public sealed class StateStore(string path)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public string Path { get; } = path;

    public PipelineState Load()
    {
        if (!File.Exists(Path)) return new PipelineState();
        try
        {
            return JsonSerializer.Deserialize<PipelineState>(File.ReadAllText(Path), Json) ?? new PipelineState();
        }
        catch (JsonException e)
        {
            throw new CdpException("CDP9001", $"The pipeline state '{Path}' is corrupt ({e.Message}). Delete it, or run `dotnet build -t:Clean` (the warehouse stays), and run the pipeline again.", new SourceLocation(Path));
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current state under the lock and saves it atomically.</summary>
    public PipelineState Update(Func<PipelineState, PipelineState> change)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var gate = AcquireLock();
        var next = change(Load()) with { UpdatedAt = DateTimeOffset.UtcNow };
        var temp = Path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(next, Json).ReplaceLineEndings("\n") + "\n");
        File.Move(temp, Path, overwrite: true);
        return next;
    }

    FileStream AcquireLock()
    {
        var lockPath = Path + ".lock";
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 200)
            {
                Thread.Sleep(50);
            }
            catch (IOException e)
            {
                throw new CdpException("CDP9002", $"Another build holds '{lockPath}'. Wait for it to finish, then build again.", new SourceLocation(Path), e);
            }
        }
    }
}

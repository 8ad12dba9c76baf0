namespace CdpSdk.EndToEnd.Tests;

/// <summary>Where the repository is, found from the test assembly by walking up to CdpSdk.sln.</summary>
internal static class RepoPaths
{
    public static readonly string Root = FindRoot();

    public static string SdkProject => Path.Combine(Root, "sdk", "CdpSdk", "CdpSdk.csproj");

    public static string Sample(string name) => Path.Combine(Root, "samples", name);

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CdpSdk.sln"))) return dir.FullName;
        throw new InvalidOperationException("CdpSdk.sln not found above " + AppContext.BaseDirectory);
    }
}

namespace CdpSdk.Core.Diagnostics;

/// <summary>Where a setting was written: the project file and the 1-based line of its element.</summary>
public sealed record SourceLocation(string File, int Line = 0, int Column = 0)
{
    public static readonly SourceLocation None = new("", 0, 0);

    public override string ToString() => Line > 0 ? $"{File}({Line},{Column})" : File;
}

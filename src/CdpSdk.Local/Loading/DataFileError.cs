using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Loading;

/// <summary>
/// One wording for every problem found in a data file: the file as the project names it, the 1-based line
/// (and field or byte where known), what is wrong, and that nothing of the file was loaded (the load's
/// transaction rolls back), so a user never wonders whether part of it went in.
/// </summary>
internal static class DataFileError
{
    public static CdpException At(string code, string label, long line, long column, string what)
    {
        var where = line > 0 ? $"{label}, line {line}" : label;
        var location = new SourceLocation(label, (int)Math.Min(line, int.MaxValue), (int)Math.Min(column, int.MaxValue));
        return new CdpException(code, $"Data file {where}: {what}. Nothing of the file was loaded.", location);
    }
}

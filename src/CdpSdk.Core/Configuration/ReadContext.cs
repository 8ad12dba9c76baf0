using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Model;

namespace CdpSdk.Core.Configuration;

/// <summary>Shared by the readers of one project: the raw input and the findings so far.</summary>
internal sealed class ReadContext(RawProject project)
{
    public RawProject Project { get; } = project;
    public List<Diagnostic> Diagnostics { get; } = [];

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public void Error(string code, string message, SourceLocation at) => Diagnostics.Add(Diagnostic.Error(code, message, at));

    public void Warning(string code, string message, SourceLocation at) => Diagnostics.Add(Diagnostic.Warning(code, message, at));

    /// <summary>Parses an enum-valued setting; reports <paramref name="code"/> listing the accepted values.</summary>
    public T ParseChoice<T>(string value, T fallback, IReadOnlyDictionary<string, T> choices, string code, string what, SourceLocation at)
    {
        if (value.Length == 0) return fallback;
        foreach (var (text, choice) in choices)
            if (string.Equals(text, value, StringComparison.OrdinalIgnoreCase)) return choice;
        Error(code, $"{what} '{value}' is not valid. Use one of: {string.Join(", ", choices.Keys)}.", at);
        return fallback;
    }
}

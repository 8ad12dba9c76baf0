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

    /// <summary>Parses a numeric property; reports CDP0019 with the accepted range when it is not a number in it.</summary>
    public double Number(string property, double fallback, double min, double max)
    {
        var text = Project.Property(property);
        if (text.Length == 0) return fallback;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v >= min && v <= max) return v;
        Error("CDP0019", $"{property} '{text}' must be a number from {min} to {max}.", Project.PropertyLocation(property));
        return fallback;
    }
}

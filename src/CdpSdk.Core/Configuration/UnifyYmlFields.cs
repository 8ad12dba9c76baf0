using System.Text.RegularExpressions;
using CdpSdk.Core.Diagnostics;
using CdpSdk.Core.Generation.Checks;

namespace CdpSdk.Core.Configuration;

/// <summary>
/// Typed reads of one unify.yml's fields, each reporting at the value's own line what TD's validator (pydantic
/// over a YAML 1.1 reading) would refuse: a value of the wrong YAML type (CDP0105), a field TD does not know
/// (CDP0104), a name that is not a SQL symbol (CDP0117). A null value of an optional field counts as absent,
/// as TD's loader drops it.
/// </summary>
internal sealed partial class UnifyYmlFields(ReadContext ctx, string path)
{
    [GeneratedRegex(@"^(?:[A-Za-z0-9_]|\$\{[^{}]*\})+$")]
    private static partial Regex WithPlaceholders();

    public bool HasErrors { get; private set; }

    public void Error(string code, YamlTreeNode at, string message)
    {
        HasErrors = true;
        ctx.Error(code, "unify.yml " + message + ".", new SourceLocation(path, at.Line, at.Column));
    }

    public void Warning(string code, YamlTreeNode at, string message) =>
        ctx.Warning(code, "unify.yml " + message + ".", new SourceLocation(path, at.Line, at.Column));

    /// <summary>
    /// A SQL symbol, or a name built from <c>${…}</c> workflow variables (TD's own samples write
    /// <c>table: ${td.tbl_aaa}</c>): Digdag fills those in before TD sees the file, so they cannot be checked here.
    /// </summary>
    public static bool IsSymbolOrVariable(string s) =>
        NameRules.IsSymbol(s) || (s.Contains("${", StringComparison.Ordinal) && WithPlaceholders().IsMatch(s) && !char.IsAsciiDigit(s[0]));

    public static bool HasVariable(string s) => s.Contains("${", StringComparison.Ordinal);

    /// <summary>CDP0104 for every field of <paramref name="map"/> that is not one of <paramref name="known"/>.</summary>
    public void OnlyKnown(YamlTreeMapping map, string what, IReadOnlyCollection<string> known)
    {
        foreach (var (key, _) in map.Entries.Where(e => !e.Key.IsInclude && !known.Contains(e.Key.Value)))
            Error("CDP0104", key, $"{what} has the field '{key.Value}', which TD does not know (known: {string.Join(", ", known)})");
        foreach (var (key, _) in map.Entries.Where(e => e.Key.IsInclude))
            Error("CDP0104", key, $"{what} has an !include, which TD's unification API cannot read inside unify.yml");
    }

    /// <summary>A string field: null when absent, null (the YAML value) or of another type (then CDP0105).</summary>
    public string? Text(YamlTreeMapping map, string field, string what)
    {
        switch (map.Get(field))
        {
            case null: return null;
            case YamlTreeScalar s when Yaml11Scalar.IsNull(s): return null;
            case YamlTreeScalar s when Yaml11Scalar.NonStringType(s) is { } type:
                Error("CDP0105", s, $"{field} of {what} is '{s.Value}', which YAML reads as a {type}; TD needs a string here: quote it ('{s.Value}')");
                return null;
            case YamlTreeScalar s: return s.Value;
            case var other:
                Error("CDP0105", other, $"{field} of {what} is a {Shape(other)}; TD needs a single value here");
                return null;
        }
    }

    /// <summary>A name TD puts in SQL: present (when <paramref name="required"/>), a string, a SQL symbol.</summary>
    public string? Symbol(YamlTreeMapping map, string field, string what, bool required = true)
    {
        var node = map.Get(field);
        var value = Text(map, field, what);
        if (value is null)
        {
            if (required && (node is null || node is YamlTreeScalar s && Yaml11Scalar.IsNull(s)))
                Error("CDP0117", node ?? map, $"{what} needs {field}: (a SQL symbol: letters, digits and underscore, not starting with a digit)");
            return null;
        }
        if (!IsSymbolOrVariable(value))
            Error("CDP0117", node!, $"{field} '{value}' of {what} is not a SQL symbol (letters, digits and underscore, not starting with a digit)");
        return value;
    }

    /// <summary>A whole number field within [min, max]: CDP0105 for another type, <paramref name="rangeCode"/> outside the range.</summary>
    public long? Number(YamlTreeMapping map, string field, string what, long min, long max, string rangeCode)
    {
        switch (map.Get(field))
        {
            case null: return null;
            case YamlTreeScalar s when Yaml11Scalar.IsNull(s): return null;
            case YamlTreeScalar s when Yaml11Scalar.TryWholeNumber(s, out var n):
                if (n < min || n > max)
                    Error(rangeCode, s, $"{field} of {what} is {n}; TD needs a whole number from {min}{(max == long.MaxValue ? " up" : " to " + max)}");
                return n;
            case var other:
                Error("CDP0105", other, $"{field} of {what} is {Describe(other)}; TD needs a whole number here");
                return null;
        }
    }

    /// <summary>
    /// A list of strings: null when absent or null; CDP0105 for a single value or a mapping where the list belongs
    /// (write [email], not email) and for an item that is not a string (null items only where <paramref name="nullItems"/>).
    /// </summary>
    public List<(YamlTreeNode Node, string? Value)>? Strings(YamlTreeMapping map, string field, string what, bool nullItems = false)
    {
        switch (map.Get(field))
        {
            case null: return null;
            case YamlTreeScalar s when Yaml11Scalar.IsNull(s): return null;
            case YamlTreeSequence seq:
                var items = new List<(YamlTreeNode, string?)>();
                foreach (var item in seq.Items)
                {
                    if (item is YamlTreeScalar v && Yaml11Scalar.IsNull(v) && nullItems) items.Add((v, null));
                    else if (item is YamlTreeScalar t && Yaml11Scalar.NonStringType(t) is null) items.Add((t, t.Value));
                    else Error("CDP0105", item, $"{field} of {what} has the entry {Describe(item)}; TD needs strings here"
                        + (item is YamlTreeScalar q ? $": quote it ('{q.Value}')" : ""));
                }
                return items;
            case var other:
                Error("CDP0105", other, $"{field} of {what} is {Describe(other)}; TD needs a list here, e.g. {field}: [{(other is YamlTreeScalar sc ? sc.Value : "…")}]");
                return null;
        }
    }

    /// <summary>The mappings of a list field; CDP0105 when the field is not a list or an item is not a mapping.</summary>
    public List<YamlTreeMapping> Maps(YamlTreeMapping map, string field, string what)
    {
        switch (map.Get(field))
        {
            case null: return [];
            case YamlTreeScalar s when Yaml11Scalar.IsNull(s): return [];
            case YamlTreeSequence seq:
                foreach (var item in seq.Items.Where(i => i is not YamlTreeMapping))
                    Error("CDP0105", item, $"{field} of {what} has the entry {Describe(item)}; each entry must be a mapping of fields (name: …)");
                return seq.Items.OfType<YamlTreeMapping>().ToList();
            case var other:
                Error("CDP0105", other, $"{field} of {what} is {Describe(other)}; TD needs a list of entries here (- name: …)");
                return [];
        }
    }

    static string Shape(YamlTreeNode node) => node switch { YamlTreeSequence => "list", YamlTreeMapping => "mapping", _ => "value" };

    static string Describe(YamlTreeNode node) => node switch
    {
        YamlTreeScalar s when Yaml11Scalar.NonStringType(s) is { } type => $"'{s.Value}' (YAML reads a {type})",
        YamlTreeScalar s => $"'{s.Value}'",
        _ => "a " + Shape(node),
    };
}

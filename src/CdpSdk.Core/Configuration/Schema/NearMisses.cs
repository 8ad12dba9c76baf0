namespace CdpSdk.Core.Configuration.Schema;

/// <summary>
/// The misspellings of the SDK's element names that the standalone schema declares abstract, so that a
/// validator flags them. An SDK-style project has no namespace, so cdpproj.xsd lets other MSBuild elements
/// through with a lax wildcard, and XSD 1.0 (all that System.Xml, Visual Studio and Xerces-based editors
/// implement; XSD 1.1's notQName and assertions are not available) cannot tell a wildcard "any name but
/// Cdp*". A lax wildcard does validate an element that has a global declaration, and an abstract
/// declaration never validates: each near miss declared that way is an error, and editors leave abstract
/// elements out of completion. Near misses are the typos people make: one letter left out (CdpStagin),
/// two neighbouring letters swapped (CdpSatging), one letter doubled (CdpStagging), and the prefix or the
/// word after it in another case (cdpStaging, CDPStaging, Cdpstaging). Other misspellings still pass the
/// schema; the build stops on any unknown Cdp name (CDP0001, CDP0002).
/// </summary>
public static class NearMisses
{
    /// <summary>Near miss → the name meant, for the given names; never a name of the list itself, the first name meant wins.</summary>
    public static IReadOnlyList<(string Miss, string Meant)> Of(IReadOnlyList<string> names)
    {
        var taken = new HashSet<string>(names, StringComparer.Ordinal);
        var result = new List<(string, string)>();
        foreach (var name in names)
            foreach (var miss in Variants(name))
                if (IsXmlName(miss) && taken.Add(miss)) result.Add((miss, name));
        return result;
    }

    static IEnumerable<string> Variants(string name)
    {
        for (var i = 0; i < name.Length; i++) yield return name.Remove(i, 1);
        for (var i = 0; i + 1 < name.Length; i++)
            if (name[i] != name[i + 1]) yield return string.Concat(name.AsSpan(0, i), name[i + 1].ToString(), name[i].ToString(), name.AsSpan(i + 2));
        for (var i = 0; i < name.Length; i++) yield return name.Insert(i, name[i].ToString());
        if (!name.StartsWith("Cdp", StringComparison.Ordinal) || name.Length < 4) yield break;
        var rest = name[3..];
        yield return "cdp" + rest;
        yield return "CDP" + rest;
        yield return "Cdp" + char.ToLowerInvariant(rest[0]) + rest[1..];
        yield return name.ToLowerInvariant();
    }

    /// <summary>Element names start with a letter or underscore (a deletion can leave any other start only from a name that had one).</summary>
    static bool IsXmlName(string s) => s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_');
}

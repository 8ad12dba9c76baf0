using System.Text.RegularExpressions;

namespace CdpSdk.Local.Warehouse;

/// <summary>
/// DuckDB names a missing table without its database when the database (schema) exists ("Table with name t
/// does not exist"); the query names it "db"."t". The qualified name is what the user (and the diagnosis of
/// a missing table) needs, so the message gets it back from the query.
/// </summary>
internal static partial class MissingTables
{
    [GeneratedRegex(@"Table with name (?<name>\w+) does not exist")]
    private static partial Regex Unqualified();

    public static string Qualify(string message, string sql)
    {
        if (Unqualified().Match(message) is not { Success: true } m) return message;
        var name = m.Groups["name"].Value;
        var qualified = Regex.Match(sql, $@"""(?<db>\w+)""\s*\.\s*""{Regex.Escape(name)}""");
        return qualified.Success
            ? message.Remove(m.Groups["name"].Index, name.Length).Insert(m.Groups["name"].Index, qualified.Groups["db"].Value + "." + name)
            : message;
    }
}

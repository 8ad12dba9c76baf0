using System.Globalization;
using System.Text;

namespace CdpSdk.Core.Generation;

/// <summary>
/// How a string is written so that every YAML reader reads back exactly that string: plain when the text
/// is plainly safe, else single-quoted (double-quoted when it holds a line break or another control character).
/// "Plainly safe" is decided by what may appear, not by what may not: a plain scalar starts with an ASCII
/// letter, '_', '/', '$' or '+' followed by a letter, holds only ASCII letters, digits and a few
/// punctuation marks, and is none of the words YAML 1.1 (SnakeYAML, so Digdag and TD) or YAML 1.2 reads as a
/// boolean or null, in any case. Numbers, timestamps and sexagesimals all start with a digit, a sign or a
/// dot, so they are always quoted; so are the empty string, leading or trailing spaces, '#', ': ' and
/// every indicator YAML gives a meaning at the start of a scalar. Digdag's own syntax stays plain:
/// <c>${session_date}</c>, <c>queries/x.sql</c>, keys such as <c>td&gt;</c> and <c>+load</c>.
/// </summary>
internal static class YamlScalar
{
    // YAML 1.1's bool (yaml.org/type/bool: y|n|yes|no|true|false|on|off) and null words, compared ignoring
    // case so a reader with another casing rule cannot differ either.
    static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null",
    };

    /// <summary>The text as a scalar in block context (a mapping value or key outside [ ] and { }).</summary>
    public static string Block(string value) => IsPlain(value, flow: false) ? value : Quoted(value);

    /// <summary>The text as a scalar inside a flow collection ([a, b] or {k: v}), where , [ ] { } end a plain scalar.</summary>
    public static string Flow(string value) => IsPlain(value, flow: true) ? value : Quoted(value);

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";

    /// <summary>Whether <paramref name="value"/> written plain is read back, by YAML 1.1 and 1.2 readers alike, as this same string.</summary>
    public static bool IsPlain(string value, bool flow)
    {
        if (value.Length == 0 || Words.Contains(value)) return false;
        var first = value[0];
        if (!(char.IsAsciiLetter(first) || first is '_' or '/' or '$'
              || (first == '+' && value.Length > 1 && (char.IsAsciiLetter(value[1]) || value[1] == '_'))))
            return false;
        if (value[^1] is ' ' or ':') return false;
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or '$' or '+' or '>' or '=' or '(' or ')' or ';' or '\'' or '@' or '%') continue;
            if (flow) return false;
            // Block context only: inside a plain scalar these mean nothing, except ": " (a key) and " #" (a comment),
            // which are excluded by refusing '#' and ':' followed by a space.
            if (c is '{' or '}' or ',' or '[' or ']') continue;
            if (c == ' ' && value[i - 1] != ' ') continue;
            if (c == ':' && value[i + 1] != ' ') continue;
            return false;
        }
        return true;
    }

    /// <summary>Single quotes (only ' is escaped, as ''), or double quotes with escapes when the text has a control character.</summary>
    static string Quoted(string value)
    {
        if (!value.Any(char.IsControl)) return "'" + value.Replace("'", "''") + "'";
        var text = new StringBuilder("\"");
        foreach (var c in value)
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        return text.Append('"').ToString();
    }
}

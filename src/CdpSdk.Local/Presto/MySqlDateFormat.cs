using System.Text;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Presto;

/// <summary>
/// Presto's date_parse/date_format specifiers (MySQL's, https://prestodb.io/docs/current/functions/datetime.html
/// "MySQL Date Functions") as DuckDB strftime/strptime specifiers. The two mostly agree letter for letter;
/// they differ for minutes (%i), seconds (%s), month and weekday names (%M, %W) and the unpadded forms.
/// Specifiers Presto documents as unsupported, or that have no DuckDB equivalent, are refused.
/// </summary>
internal static class MySqlDateFormat
{
    static readonly Dictionary<char, string> Specifiers = new()
    {
        ['a'] = "%a", ['b'] = "%b", ['c'] = "%-m", ['d'] = "%d", ['e'] = "%-d", ['f'] = "%f",
        ['H'] = "%H", ['h'] = "%I", ['I'] = "%I", ['i'] = "%M", ['j'] = "%j", ['k'] = "%-H", ['l'] = "%-I",
        ['M'] = "%B", ['m'] = "%m", ['p'] = "%p", ['r'] = "%I:%M:%S %p", ['S'] = "%S", ['s'] = "%S",
        ['T'] = "%H:%M:%S", ['W'] = "%A", ['Y'] = "%Y", ['y'] = "%y", ['%'] = "%%",
    };

    /// <summary>The DuckDB format; a CDP3041 error naming the specifier when there is none.</summary>
    public static string ToStrftime(string mysql, string function, SourceLocation? at)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < mysql.Length; i++)
        {
            if (mysql[i] != '%') { sb.Append(mysql[i]); continue; }
            if (i + 1 >= mysql.Length)
                throw new CdpException(PrestoErrors.UnsupportedFormat, $"{function}: the format '{mysql}' ends with a lone '%'.", at);
            var c = mysql[++i];
            if (!Specifiers.TryGetValue(c, out var duck))
                throw new CdpException(PrestoErrors.UnsupportedFormat,
                    $"{function}: the specifier %{c} in '{mysql}' is not supported by the Local engine (Presto itself does not support %D, %U, %u, %V, %w, %X, %x); use %Y, %m, %d, %H, %i, %s and friends, or run the query on Treasure Data.", at);
            sb.Append(duck);
        }
        return sb.ToString();
    }
}

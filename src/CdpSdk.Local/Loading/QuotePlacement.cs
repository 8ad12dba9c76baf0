namespace CdpSdk.Local.Loading;

/// <summary>
/// Whether every quote character of a file stands where RFC 4180 allows it: opening a field, doubled inside
/// a quoted field, or closing one just before a delimiter or the end of a line. DuckDB's reader takes a quote
/// inside an unquoted field as text, where the strict reader refuses the file at that line, so a file with a
/// misplaced quote is left to the strict reader. Only the quotes are visited (a vectorised search between them).
/// </summary>
internal static class QuotePlacement
{
    const int ChunkSize = 1 << 20;

    public static bool IsStrict(string path, char delimiter, char quote)
    {
        if (delimiter > 0x7F || quote > 0x7F) return false;
        var (d, q) = ((byte)delimiter, (byte)quote);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = new byte[ChunkSize + 1];
        // buffer[0] holds the byte before the chunk (a line start before the file's first byte).
        buffer[0] = (byte)'\n';
        var inQuotes = false;
        var closingPending = false; // a quote at the end of the previous chunk inside quotes: closing or the first of a pair
        var first = true;
        while (true)
        {
            var read = stream.Read(buffer, 1, ChunkSize);
            if (read == 0) break;
            var span = buffer.AsSpan(0, read + 1);
            // A byte order mark is not part of the first field: read the file as starting after it.
            if (first && span[1..].StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span[3] = (byte)'\n';
            first = false;
            var i = 1;
            if (closingPending)
            {
                closingPending = false;
                if (span[1] == q) i = 2; // a doubled quote split over the chunks
                else if (!EndsField(span[1], d)) return false;
                else inQuotes = false;
            }
            while (i < span.Length)
            {
                var next = span[i..].IndexOf(q);
                if (next < 0) break;
                var at = i + next;
                if (!inQuotes)
                {
                    var before = span[at - 1];
                    if (before != d && before != '\n' && before != '\r') return false;
                    inQuotes = true;
                    i = at + 1;
                    continue;
                }
                if (at + 1 == span.Length)
                {
                    closingPending = true;
                    break;
                }
                if (span[at + 1] == q) { i = at + 2; continue; }
                if (!EndsField(span[at + 1], d)) return false;
                inQuotes = false;
                i = at + 1;
            }
            buffer[0] = span[^1];
        }
        // A quote still open at the end is a field never closed (DuckDB refuses it too).
        return !inQuotes || closingPending;
    }

    static bool EndsField(byte b, byte delimiter) => b == delimiter || b == '\n' || b == '\r';
}

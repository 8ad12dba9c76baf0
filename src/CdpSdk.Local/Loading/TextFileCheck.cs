using System.Buffers;
using System.Text;
using System.Text.Unicode;
using CdpSdk.Core.Diagnostics;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Reads a data file once, before any of it is parsed, to make sure it is UTF-8 text: the parsers would
/// otherwise store undecodable bytes as U+FFFD and read random bytes as a strange header with no records,
/// and the load would look successful. Works on the bytes, so it is the same whatever database the rows go to.
/// </summary>
internal static class TextFileCheck
{
    const int ChunkSize = 1 << 20;

    /// <summary>Throws <see cref="LocalErrors.NotUtf8Text"/> naming the 1-based line and byte of the first bad byte; returns the file's length.</summary>
    public static long Check(string path, string label)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize + 4);
        try
        {
            long offset = 0, line = 1, lineStart = 0;
            var carried = 0;
            var first = true;
            while (true)
            {
                var read = stream.Read(buffer, carried, ChunkSize);
                var length = carried + read;
                if (length == 0) break;
                var span = buffer.AsSpan(0, length);
                var start = 0;
                if (first && span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) start = 3;
                if (first && (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])))
                    throw Bad(label, 1, 1, "starts with a UTF-16 byte order mark");
                first = false;
                var i = start;
                // Most of a file is clean text: every whole line of the chunk is checked at once by vectorised
                // searches, and only what they refuse (or the tail after the last line end) is walked byte by byte.
                if (span[start..].LastIndexOf((byte)'\n') is >= 0 and var last && IsPlainText(span.Slice(start, last + 1)))
                {
                    line += span.Slice(start, last + 1).Count((byte)'\n');
                    i = start + last + 1;
                    lineStart = offset + i;
                }
                while (i < length)
                {
                    var b = span[i];
                    if (b < 0x80)
                    {
                        if (b == (byte)'\n') { line++; lineStart = offset + i + 1; }
                        else if (b == 0 || (b < 0x20 && b is not (byte)'\t' and not (byte)'\r'))
                            throw Bad(label, line, offset + i - lineStart + 1, $"holds the control byte 0x{b:X2}, so it is binary, not text");
                        i++;
                        continue;
                    }
                    var status = Rune.DecodeFromUtf8(span[i..], out _, out var consumed);
                    if (status == OperationStatus.NeedMoreData && read > 0) break;
                    if (status != OperationStatus.Done)
                        throw Bad(label, line, offset + i - lineStart + 1, $"holds the byte 0x{b:X2}, which is not UTF-8");
                    i += consumed;
                }
                // An incomplete character at the end of a chunk is read again with the next one.
                carried = length - i;
                span[i..length].CopyTo(buffer);
                offset += i;
                if (read == 0)
                {
                    if (carried > 0) throw Bad(label, line, offset - lineStart + 1, "ends in the middle of a UTF-8 character");
                    break;
                }
            }
            return stream.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>UTF-8 with no control byte but tab, line feed and carriage return: what the byte walk accepts.</summary>
    static bool IsPlainText(ReadOnlySpan<byte> bytes) =>
        bytes.IndexOfAnyInRange((byte)0x00, (byte)0x08) < 0 && bytes.IndexOfAnyInRange((byte)0x0B, (byte)0x0C) < 0 &&
        bytes.IndexOfAnyInRange((byte)0x0E, (byte)0x1F) < 0 && Utf8.IsValid(bytes);

    static CdpException Bad(string label, long line, long column, string what) =>
        DataFileError.At(LocalErrors.NotUtf8Text, label, line, column, $"the file {what}; save it as UTF-8 text (byte {column} of the line)");
}

using System.Net;
using System.Text.Json;
using CdpSdk.Core.Diagnostics;
using RestSharp;

namespace CdpSdk.Local.Loading;

/// <summary>
/// Records of a paged JSON API, read page by page (only one page is in memory): the records array at
/// <c>records_path</c>, the next page from a link or cursor at <c>next_page_path</c>. The Authorization
/// header comes from the environment variable the load config names, read here and never written anywhere.
/// </summary>
internal sealed class HttpJsonSource(string url, string recordsPath, string nextPath, string cursorParameter, string? authHeaderEnv, string where)
{
    const int MaxPages = 100_000;

    public List<string> PagesRead { get; } = [];

    public IEnumerable<Record> Read()
    {
        var auth = Auth();
        using var client = new RestClient(new RestClientOptions { ThrowOnAnyError = false, Timeout = TimeSpan.FromMinutes(2) });
        Uri? next = new(url);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            if (!seen.Add(next.AbsoluteUri) || seen.Count > MaxPages)
                throw new CdpException(LocalErrors.HttpSourceFailed, $"{where}: paging of {Safe(url)} loops back to {Safe(next.AbsoluteUri)}; check NextPagePath.");
            var request = new RestRequest(next);
            if (auth is not null) request.AddHeader("Authorization", auth);
            var response = client.ExecuteAsync(request).GetAwaiter().GetResult();
            if (response.StatusCode != HttpStatusCode.OK || response.Content is null)
                throw new CdpException(LocalErrors.HttpSourceFailed,
                    LocalMessages.Current.HttpFailed(where, Safe(next.AbsoluteUri), (int)response.StatusCode, response.StatusDescription ?? response.ErrorMessage ?? "", authHeaderEnv),
                    cause: HttpCause(response.StatusCode, authHeaderEnv));
            PagesRead.Add(next.AbsoluteUri);

            using var page = Parse(response.Content, next);
            var records = Path(page.RootElement, recordsPath);
            if (records is not { ValueKind: JsonValueKind.Array })
                throw new CdpException(LocalErrors.BadDataFile, $"{where}: the page {Safe(next.AbsoluteUri)} has no records array at '{recordsPath}' (RecordsPath).");
            var count = 0;
            foreach (var item in records.Value.EnumerateArray())
            {
                count++;
                yield return RecordSource.FromJson(next.AbsoluteUri, item, 0);
            }
            next = count == 0 ? null : Next(page.RootElement, next);
        }
    }

    string? Auth()
    {
        if (string.IsNullOrEmpty(authHeaderEnv)) return null;
        var value = Environment.GetEnvironmentVariable(authHeaderEnv);
        return string.IsNullOrEmpty(value)
            ? throw new CdpException(LocalErrors.AuthEnvMissing, LocalMessages.Current.AuthHeaderUnset(where, authHeaderEnv),
                cause: new FailureCause(FailureKind.MissingSecret, authHeaderEnv, EnvironmentVariable: authHeaderEnv))
            : value;
    }

    Uri? Next(JsonElement page, Uri current)
    {
        if (nextPath.Length == 0 || Path(page, nextPath) is not { } value || value.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined) return null;
        var text = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
        if (string.IsNullOrEmpty(text)) return null;
        if (cursorParameter.Length == 0) return new Uri(current, text);
        var builder = new UriBuilder(url);
        var query = builder.Query.TrimStart('?');
        builder.Query = (query.Length > 0 ? query + "&" : "") + Uri.EscapeDataString(cursorParameter) + "=" + Uri.EscapeDataString(text);
        return builder.Uri;
    }

    static JsonElement? Path(JsonElement root, string path)
    {
        var node = root;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(part, out node)) return null;
        }
        return node;
    }

    JsonDocument Parse(string content, Uri page)
    {
        try { return JsonDocument.Parse(content); }
        catch (JsonException e) { throw new CdpException(LocalErrors.BadDataFile, $"{where}: the page {Safe(page.AbsoluteUri)} is not valid JSON: {e.Message}"); }
    }

    /// <summary>A URL for messages, without its query (which may carry a token).</summary>
    /// <summary>An HTTP source's answer as a cause: refused credentials name their variable; 408, 429, 5xx and no answer are transient.</summary>
    static FailureCause HttpCause(HttpStatusCode status, string? authHeaderEnv) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new(FailureKind.Authentication, EnvironmentVariable: authHeaderEnv),
        0 or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError => new(FailureKind.Transient),
        _ => FailureCause.Unknown,
    };

    static string Safe(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Path) : url;
}

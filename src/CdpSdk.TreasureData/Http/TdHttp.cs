using System.Net;
using System.Text.Json;
using CdpSdk.Core.Backend;
using CdpSdk.Core.Configuration;
using CdpSdk.Core.Diagnostics;
using Polly;
using Polly.Retry;
using RestSharp;

namespace CdpSdk.TreasureData.Http;

/// <summary>
/// One TD API (v3, workflow or CDP) at one base URL: every call has a timeout, transient failures (408,
/// 429, 5xx, no response) are retried with exponential backoff and jitter, or after what Retry-After
/// says, and other 4xx are never retried. The API key goes into the Authorization header only; messages
/// show it masked.
/// </summary>
public sealed class TdHttp : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    readonly RestClient _client;
    readonly ApiKey _key;
    readonly ResiliencePipeline<RestResponse> _retry;
    readonly ICdpLog _log;

    public TdHttp(string apiName, string baseUrl, ApiKey key, HttpPolicy policy, ICdpLog log, TimeProvider? time = null)
    {
        ApiName = apiName;
        BaseUrl = baseUrl.TrimEnd('/');
        _key = key;
        _log = log;
        _client = new RestClient(new RestClientOptions(BaseUrl) { Timeout = policy.Timeout, ThrowOnAnyError = false, UserAgent = "CdpSdk" });
        _retry = BuildRetry(policy, time ?? TimeProvider.System);
    }

    public string ApiName { get; }
    public string BaseUrl { get; }

    /// <summary>Requests sent, retries included (for tests and progress).</summary>
    public int RequestCount => _requests;
    int _requests;

    /// <summary>
    /// Sends the request (retrying transient failures) and returns the response when it succeeded or its
    /// status is one of <paramref name="expected"/> (e.g. 409 meaning "already there"); otherwise throws a coded error.
    /// </summary>
    public async Task<RestResponse> SendAsync(RestRequest request, CancellationToken ct, bool authenticated = true, params HttpStatusCode[] expected)
    {
        if (authenticated) request.AddOrUpdateHeader("Authorization", "TD1 " + _key.Value);
        var response = await _retry.ExecuteAsync(async token =>
        {
            Interlocked.Increment(ref _requests);
            return await _client.ExecuteAsync(request, token);
        }, ct);
        ct.ThrowIfCancellationRequested();
        if (response.IsSuccessStatusCode || expected.Contains(response.StatusCode)) return response;
        throw Failure(request, response);
    }

    public async Task<T> GetJsonAsync<T>(RestRequest request, CancellationToken ct)
    {
        var response = await SendAsync(request, ct);
        return Parse<T>(request, response);
    }

    public T Parse<T>(RestRequest request, RestResponse response)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(response.Content ?? "", Json)
                   ?? throw new JsonException("empty body");
        }
        catch (JsonException e)
        {
            throw new CdpException("CDP2001", $"TD {ApiName} API ({BaseUrl}) answered {request.Method} {Describe(request)} with a body CdpSdk cannot read ({e.Message}). Check CdpEndpoint/CdpRegion point at Treasure Data.");
        }
    }

    ResiliencePipeline<RestResponse> BuildRetry(HttpPolicy policy, TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder<RestResponse> { TimeProvider = time };
        if (policy.MaxRetries <= 0) return builder.Build();
        return builder.AddRetry(new RetryStrategyOptions<RestResponse>
        {
            ShouldHandle = args => ValueTask.FromResult(
                args.Outcome.Result is { } r ? RetryAfter.IsTransient(r) && r.ResponseStatus != ResponseStatus.Aborted
                                             : args.Outcome.Exception is HttpRequestException or TimeoutException or IOException),
            MaxRetryAttempts = policy.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = policy.RetryDelay,
            MaxDelay = TimeSpan.FromSeconds(60),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } r ? RetryAfter.From(r, time.GetUtcNow()) : null),
            OnRetry = args =>
            {
                var what = args.Outcome.Result is { StatusCode: not 0 } r ? $"HTTP {(int)r.StatusCode}"
                    : args.Outcome.Result?.ErrorMessage ?? args.Outcome.Exception?.Message ?? "no response";
                _log.Info($"TD {ApiName} API: {Mask(what)}; retry {args.AttemptNumber + 1} of {policy.MaxRetries} in {args.RetryDelay.TotalSeconds:0.0} s");
                return default;
            },
        }).Build();
    }

    CdpException Failure(RestRequest request, RestResponse r)
    {
        var call = $"{request.Method.ToString().ToUpperInvariant()} {Describe(request)}";
        if (r.StatusCode == 0)
            return new CdpException("CDP2004", TdMessages.Current.NoAnswer(ApiName, BaseUrl, call, Mask(r.ErrorMessage ?? r.ResponseStatus.ToString())), cause: new FailureCause(FailureKind.Transient));
        var status = (int)r.StatusCode;
        var message = Mask(ServerMessage(r));
        if (r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            return new CdpException("CDP2003", TdMessages.Current.KeyRefused(ApiName, _key.Masked, _key.Origin, status, call, message), cause: new FailureCause(FailureKind.Authentication, Detail: message));
        if (RetryAfter.IsTransient(r))
            return new CdpException("CDP2004", TdMessages.Current.KeptFailing(ApiName, call, status, message), cause: new FailureCause(FailureKind.Transient, Detail: message));
        // A pushed project TD cannot read names its workflow file; other refusals have no known cause.
        var cause = r.StatusCode == HttpStatusCode.BadRequest && request.Method == Method.Put && request.Resource == "api/projects"
            ? TdTaskErrors.RejectedProject(message) : FailureCause.Unknown with { Detail = message };
        return new CdpException("CDP2001", TdMessages.Current.Rejected(ApiName, call, status, message), cause: cause);
    }

    /// <summary>The resource and query, which name projects and tables but never the key.</summary>
    static string Describe(RestRequest request)
    {
        // A direct (pre-signed) link carries its credentials in the query: show where it points, not those.
        if (Uri.TryCreate(request.Resource, UriKind.Absolute, out var direct) && direct.Scheme is "http" or "https")
            return direct.GetLeftPart(UriPartial.Path) + " (direct link)";
        var query = request.Parameters.Where(p => p.Type == ParameterType.QueryString).Select(p => $"{p.Name}={p.Value}");
        var q = string.Join("&", query);
        return "/" + request.Resource.TrimStart('/') + (q.Length > 0 ? "?" + q : "");
    }

    /// <summary>TD's error text: workflow API {"message"}, v3 API {"error","text"}; otherwise the start of the body.</summary>
    internal static string ServerMessage(RestResponse r)
    {
        var body = r.Content ?? "";
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                var parts = new[] { "message", "error", "text" }
                    .Select(n => doc.RootElement.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .Where(s => !string.IsNullOrEmpty(s)).Distinct().ToList();
                if (parts.Count > 0) return string.Join(": ", parts);
            }
        }
        catch (JsonException) { }
        return body.Length > 300 ? body[..300] + "…" : body.Length == 0 ? r.StatusDescription ?? "" : body;
    }

    /// <summary>Servers and proxies may echo request headers; never let the key through.</summary>
    string Mask(string text) => text.Replace(_key.Value, _key.Masked, StringComparison.Ordinal);

    public void Dispose() => _client.Dispose();
}

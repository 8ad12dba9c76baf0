namespace CdpSdk.TreasureData.Fake;

public enum FaultKind
{
    /// <summary>HTTP 500 before the request is processed.</summary>
    ServerError,
    /// <summary>HTTP 503 before the request is processed.</summary>
    Unavailable,
    /// <summary>HTTP 429 with Retry-After, before the request is processed.</summary>
    TooManyRequests,
    /// <summary>The connection is dropped before the request is processed.</summary>
    DropBefore,
    /// <summary>The request is processed, then the connection is dropped instead of answering: the client cannot know it worked.</summary>
    DropAfter,
    /// <summary>The answer comes after <see cref="Faults.SlowDelay"/> (longer than a client's timeout makes it a timeout).</summary>
    Slow,
}

/// <summary>Fault injection: scripted faults for the next requests, and a random transient failure rate.</summary>
public sealed class Faults
{
    readonly Queue<FaultKind> _next = new();
    readonly Random _random;
    readonly object _gate = new();

    public Faults(int seed = 12345) => _random = new Random(seed);

    /// <summary>Share of requests (0..1) failing with a random transient fault.</summary>
    public double TransientRate { get; set; }

    /// <summary>What a 429 sends as Retry-After ("1", or an HTTP date).</summary>
    public string RetryAfter { get; set; } = "0";

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Only requests whose path starts with this are affected (empty: all).</summary>
    public string PathPrefix { get; set; } = "";

    /// <summary>Only requests of this HTTP method are affected (empty: all).</summary>
    public string Method { get; set; } = "";

    public int Injected { get; private set; }

    public void Next(FaultKind kind, int count = 1)
    {
        lock (_gate) for (var i = 0; i < count; i++) _next.Enqueue(kind);
    }

    /// <summary>Drops the scripted faults not yet served: the outage is over.</summary>
    public void Clear()
    {
        lock (_gate) _next.Clear();
    }

    internal FaultKind? Take(string method, string path)
    {
        lock (_gate)
        {
            if (PathPrefix.Length > 0 && !path.StartsWith(PathPrefix, StringComparison.Ordinal)) return null;
            if (Method.Length > 0 && !string.Equals(Method, method, StringComparison.OrdinalIgnoreCase)) return null;
            FaultKind? kind = _next.Count > 0 ? _next.Dequeue()
                : TransientRate > 0 && _random.NextDouble() < TransientRate ? (FaultKind)_random.Next(0, 5) : null;
            if (kind is not null) Injected++;
            return kind;
        }
    }
}

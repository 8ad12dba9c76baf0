using System.Net;
using System.Net.Sockets;

namespace CdpSdk.Local.Tests;

/// <summary>A real HTTP server on 127.0.0.1 at a free port, for the Local target's HTTP sources; subclasses answer each request.</summary>
internal abstract class LoopbackHttpServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;

    public string Url { get; }

    protected LoopbackHttpServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    /// <summary>Answers one request and closes its response.</summary>
    protected abstract Task AnswerAsync(HttpListenerContext context);

    async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
            await AnswerAsync(context);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}

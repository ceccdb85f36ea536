using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Photoshop.Emulator.Tests.Infrastructure;

/// <summary>One delivery as the sink received it.</summary>
public sealed record ReceivedDelivery(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A webhook on loopback that knows nothing of Conduit: answers the challenge as told, records every POST
/// and answers it with the next scripted status (the last one repeats).
/// </summary>
public sealed class EventSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedDelivery> _deliveries = new();
    private readonly WebApplication _app;
    private int[] _statuses = [200];
    private int _answered;

    private EventSink(WebApplication app) => _app = app;

    /// <summary>How the challenge is answered: "text", "json" or "wrong".</summary>
    public string Challenge { get; set; } = "text";

    public Uri Url => new(_app.Urls.Single() + "/hook");

    public IReadOnlyList<ReceivedDelivery> Deliveries => _deliveries.ToArray();

    public static async Task<EventSink> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var sink = new EventSink(app);
        app.Run(sink.HandleAsync);
        await app.StartAsync();
        return sink;
    }

    /// <summary>Answers the n-th delivery with the n-th status; the last one repeats.</summary>
    public void Answer(params int[] statuses) => _statuses = statuses;

    /// <summary>Waits (real time, 10 s at most) for <paramref name="count"/> deliveries.</summary>
    public async Task<IReadOnlyList<ReceivedDelivery>> UntilAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_deliveries.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} deliveries, got {_deliveries.Count}.");
            await Task.Delay(5);
        }

        return Deliveries;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsGet(context.Request.Method))
        {
            var challenge = context.Request.Query["challenge"].ToString();
            switch (Challenge)
            {
                case "json":
                    context.Response.ContentType = "application/json";
                    await context.Response.WriteAsync($$"""{"challenge":"{{challenge}}"}""");
                    break;
                case "text":
                    context.Response.ContentType = "text/plain";
                    await context.Response.WriteAsync(challenge);
                    break;
                default:
                    await context.Response.WriteAsync("hello");
                    break;
            }

            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        _deliveries.Enqueue(new ReceivedDelivery(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray()));
        var n = Interlocked.Increment(ref _answered) - 1;
        context.Response.StatusCode = _statuses[Math.Min(n, _statuses.Length - 1)];
    }
}

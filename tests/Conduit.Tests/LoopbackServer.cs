using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Conduit.Tests;

/// <summary>One request as the server received it.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Target">Path and query exactly as sent on the wire (the request-target).</param>
/// <param name="Headers">Headers by name (case-insensitive), repeated values joined with ", ".</param>
/// <param name="Body">The body bytes.</param>
public sealed record RecordedRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>A header's value, or <see langword="null"/>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// Kestrel on <c>http://127.0.0.1:0</c>: records every request and answers with <see cref="Responder"/>.
/// Used as a class fixture; each test class constructor calls <see cref="Reset"/>.
/// </summary>
public sealed class LoopbackServer : IAsyncLifetime
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    /// <summary>The server's root, such as <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Answers each request; by default 200 with no body.</summary>
    public Func<HttpContext, Task> Responder { get; set; } = _ => Task.CompletedTask;

    /// <summary>A client without a base address, shared by the tests of one class.</summary>
    public HttpClient Client { get; } = new();

    /// <summary>A connection whose default server is this server.</summary>
    public ApiConnection Connection => new(Client, BaseAddress.AbsoluteUri);

    /// <summary>Every request received since the last <see cref="Reset"/>, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>The only request received since the last <see cref="Reset"/>.</summary>
    public RecordedRequest Single => Assert.Single(Requests);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
            _requests.Enqueue(new(context.Request.Method, target, headers, body.ToArray()));
            await Responder(context);
        });
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.Single());
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Forgets recorded requests and restores the default answer.</summary>
    public void Reset()
    {
        _requests.Clear();
        Responder = _ => Task.CompletedTask;
    }

    /// <summary>Answers every request with <paramref name="status"/>, an optional body and headers.</summary>
    public void Reply(int status, string? body = null, string contentType = "application/json", params (string Name, string Value)[] headers)
        => Responder = async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            if (body is not null)
            {
                context.Response.ContentType = contentType;
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
        };

    /// <summary>Answers the n-th request with the n-th reply; the last one repeats.</summary>
    public void Script(params Reply[] replies)
    {
        var next = -1;
        Responder = async context =>
        {
            var reply = replies[Math.Min(Interlocked.Increment(ref next), replies.Length - 1)];
            context.Response.StatusCode = reply.Status;
            foreach (var (name, value) in reply.Headers)
            {
                context.Response.Headers[name] = value;
            }

            if (reply.Body is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(reply.Body, context.RequestAborted);
            }
        };
    }

    /// <summary>Waits (in real time, at most 10 s) until <paramref name="count"/> requests have arrived.</summary>
    public async Task UntilRequestsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_requests.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} requests, saw {_requests.Count}.");
            await Task.Delay(5);
        }
    }

    /// <summary>Sends <paramref name="request"/> through <see cref="Connection"/> and returns what arrived.</summary>
    public async Task<RecordedRequest> SendAsync(ApiRequest request)
    {
        await Connection.SendAsync(request, default);
        return Requests[^1];
    }
}

/// <summary>One scripted answer.</summary>
/// <param name="Status">The status.</param>
/// <param name="Body">A JSON body, or none.</param>
/// <param name="Headers">Response headers.</param>
public sealed record Reply(int Status, string? Body = null, params (string Name, string Value)[] Headers);

/// <summary>Small builders shared by the tests.</summary>
internal static class Api
{
    public static OperationInfo Op(string path = "/items", string method = "GET", string? server = null, params ErrorResponse[] errors)
        => new("testOp", method, path, server, errors: errors);

    public static ApiRequest Request(string path = "/items", string method = "GET") => new(Op(path, method));

    /// <summary>The members <c>R=100, G=200, B=150</c> of the OpenAPI style examples.</summary>
    public static KeyValuePair<string, string>[] Rgb { get; } = [new("R", "100"), new("G", "200"), new("B", "150")];

    /// <summary>The list <c>blue, black, brown</c> of the OpenAPI style examples.</summary>
    public static string[] Colors { get; } = ["blue", "black", "brown"];
}

using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Conduit.CallBenchmarks;

/// <summary>
/// A Kestrel server on 127.0.0.1 with the least work per request, so that the clients' costs show:
/// <c>GET /items/{id}</c> answers a fixed item, <c>POST /items</c> echoes the body it receives.
/// </summary>
public sealed class ItemServer : IAsyncDisposable
{
    /// <summary>The answer to <c>GET /items/42</c>: six members, a tags array, a nested object and a date.</summary>
    public static readonly byte[] ItemJson = Encoding.UTF8.GetBytes(
        """{"id":42,"name":"Blue widget","tags":["blue","widget","sale"],"owner":{"id":7,"name":"Ada"},"createdAt":"2025-03-01T12:30:00+00:00","price":19.99}""");

    private readonly WebApplication _app;

    private ItemServer(WebApplication app)
    {
        _app = app;
        BaseAddress = new Uri(app.Urls.Single() + "/");
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<ItemServer> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        return new ItemServer(app);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path;
        if (HttpMethods.IsGet(request.Method) && path.StartsWithSegments("/items"))
        {
            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.ContentLength = ItemJson.Length;
            return response.Body.WriteAsync(ItemJson, 0, ItemJson.Length);
        }

        if (HttpMethods.IsPost(request.Method) && path.Equals("/items", StringComparison.Ordinal))
        {
            return EchoAsync(request.BodyReader, response);
        }

        response.StatusCode = 404;
        return Task.CompletedTask;
    }

    private static async Task EchoAsync(PipeReader reader, HttpResponse response)
    {
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync().ConfigureAwait(false);
            if (read.IsCompleted)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var body = read.Buffer;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        foreach (var segment in body)
        {
            await response.BodyWriter.WriteAsync(segment).ConfigureAwait(false);
        }

        reader.AdvanceTo(body.End);
    }
}

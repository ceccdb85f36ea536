using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Conduit.EndToEnd.Tests;

/// <summary>One request as the server received it (path decoded, headers by case-insensitive name).</summary>
public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {Path} [{string.Join("; ", Headers.Select(h => $"{h.Key}: {h.Value}"))}] {Body}";
}

/// <summary>
/// The two Remove Background routes the consumer calls, on Kestrel at <c>http://127.0.0.1:0</c>, recording
/// every request. Anything else answers 404 (and is recorded, so a wrong path shows in the assertion).
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    public const string JobId = "urn:ff:jobs:e2e:0001";
    public const string CutoutUrl = "https://cutouts.example.com/e2e/cutout.png";

    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly WebApplication _app;

    private RecordingServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => _requests.ToArray();

    public static async Task<RecordingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new RecordingServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync();
        server.BaseAddress = new Uri(server._app.Urls.Single());
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? string.Empty, headers, body);
        _requests.Enqueue(request);

        var (status, answer) = (request.Method, request.Path) switch
        {
            ("POST", "/v2/remove-background") => (202, new JsonObject
            {
                ["jobId"] = JobId,
                ["statusUrl"] = new Uri(BaseAddress, $"status/{Uri.EscapeDataString(JobId)}").AbsoluteUri,
            }),
            ("GET", "/status/" + JobId) => (200, new JsonObject
            {
                ["jobId"] = JobId,
                ["status"] = "succeeded",
                ["result"] = new JsonObject
                {
                    ["outputs"] = new JsonArray(new JsonObject { ["destination"] = new JsonObject { ["url"] = CutoutUrl }, ["mediaType"] = "image/png" }),
                },
            }),
            _ => (404, new JsonObject { ["error_code"] = "not_found", ["message"] = "The e2e server has no such route." }),
        };
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }
}

using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

/// <summary>
/// A tiny in-process stand-in for the Photoshop API on loopback, so the quickstart runs without an
/// Adobe account. It knows four routes, checks credentials like Adobe does, and moves each job from
/// pending to running to succeeded over a few status reads. (The full emulator replaces it.)
/// </summary>
internal sealed class PhotoshopStandIn : IAsyncDisposable
{
    public const string AccessToken = "quickstart-token";
    public const string ApiKey = "quickstart-client-id";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Job> _jobs = new();

    private PhotoshopStandIn(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<PhotoshopStandIn> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var standIn = new PhotoshopStandIn(builder.Build());
        standIn.MapRoutes();
        await standIn._app.StartAsync();
        standIn.BaseAddress = new Uri(standIn._app.Urls.First());
        return standIn;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void MapRoutes()
    {
        _app.Use(async (context, next) =>
        {
            var authorized = context.Request.Headers.Authorization == $"Bearer {AccessToken}"
                && context.Request.Headers["x-api-key"] == ApiKey;
            if (authorized)
            {
                await next(context);
                return;
            }

            context.Response.Headers["X-Access-Error"] = "missing_or_invalid_token";
            await Results.Json(
                new JsonObject { ["error_code"] = "unauthorized", ["message"] = "Oauth token is not valid" },
                statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(context);
        });

        // Remove Background: the service writes the cutout itself and reports its URL.
        _app.MapPost("/v2/remove-background", (JsonObject body) =>
            Accept("/status", new JsonArray(new JsonObject
            {
                ["destination"] = new JsonObject { ["url"] = new Uri(BaseAddress, $"files/cutout-{Guid.NewGuid():N}.png").ToString() },
                ["mediaType"] = "image/png",
            })));
        _app.MapGet("/status/{jobId}", (string jobId) => Status(jobId));

        // Photoshop v2: outputs go to the destinations the request names.
        _app.MapPost("/v2/create-composite", (JsonObject body) => Accept("/v2/status", body["outputs"]!.DeepClone().AsArray()));
        _app.MapGet("/v2/status/{jobId}", (string jobId) => Status(jobId));
    }

    private IResult Accept(string statusPath, JsonArray outputs)
    {
        var jobId = $"urn:ff:jobs:quickstart:{Guid.NewGuid():N}";
        _jobs[jobId] = new Job(outputs);
        var statusUrl = new Uri(BaseAddress, $"{statusPath.TrimStart('/')}/{Uri.EscapeDataString(jobId)}");
        return Results.Json(new JsonObject { ["jobId"] = jobId, ["statusUrl"] = statusUrl.ToString() }, statusCode: StatusCodes.Status202Accepted);
    }

    private IResult Status(string jobId)
    {
        if (!_jobs.TryGetValue(jobId, out var job))
        {
            return Results.Json(new JsonObject { ["error_code"] = "not_found", ["message"] = $"No job {jobId}" }, statusCode: StatusCodes.Status404NotFound);
        }

        // Each read advances the job: pending, running, running, succeeded.
        var reads = job.Read();
        var status = reads switch { 1 => "pending", < 4 => "running", _ => "succeeded" };
        var answer = new JsonObject { ["jobId"] = jobId, ["status"] = status, ["createdTime"] = job.Created.ToString("O") };
        if (status == "succeeded")
        {
            answer["result"] = new JsonObject { ["outputs"] = job.Outputs.DeepClone() };
        }

        return Results.Json(answer);
    }

    private sealed class Job(JsonArray outputs)
    {
        private int _reads;

        public JsonArray Outputs { get; } = outputs;

        public DateTimeOffset Created { get; } = DateTimeOffset.UtcNow;

        public int Read() => Interlocked.Increment(ref _reads);
    }
}

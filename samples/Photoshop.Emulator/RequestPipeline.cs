using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Photoshop.Emulator;

/// <summary>
/// Handles every request, in the order Adobe's gateway and service would: an injected fault first (nothing
/// else happens), then the route, the rate limit (counted before the credentials are checked, as the
/// gateway counts every request it receives), the credentials, the body, and the operation. The answer is
/// recorded before it is written, so a client never sees a response whose request is not yet recorded. A job
/// started with <c>x-gw-ims-org-id</c> emits an I/O Events event when it ends (<see cref="EventHub"/>).
/// </summary>
internal sealed class RequestPipeline(EmulatorOptions options, Faults faults, Recorder recorder, JobStore jobs, EventHub events)
{
    private static readonly string[] RecordedHeaders = ["x-api-key", "x-gw-ims-org-id", "x-request-id", "user-agent"];

    private readonly Auth _auth = new(options);
    private readonly SlidingWindowLimiter _limiter = new(options);
    private readonly DateTimeOffset _started = options.TimeProvider.GetUtcNow();

    /// <summary>Answers one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var sequence = recorder.NextSequence();
        var arrived = options.TimeProvider.GetUtcNow() - _started;
        var path = request.Path.Value ?? "/";
        var body = await ReadBodyAsync(request);
        var match = Routes.Match(request.Method, path);
        var reply = Decide(request, path, match, body, sequence);

        var slow = faults.IsSlow(sequence);
        if (slow)
        {
            try
            {
                await Task.Delay(options.SlowDelay, options.TimeProvider, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up waiting; the request is still recorded below, as the service would log it.
            }
        }

        var requestId = Guid.NewGuid().ToString("N");
        recorder.Add(new RecordedRequest(
            sequence,
            arrived,
            request.Method,
            path,
            request.QueryString.HasValue ? request.QueryString.Value : null,
            request.ContentType,
            body.Length == 0 ? null : Encoding.UTF8.GetString(body),
            reply.Status,
            match?.Route.Group,
            reply.OverHardLimit,
            reply.FaultInjected,
            reply.JobId,
            RecordHeaders(request.Headers))
        { RequestId = requestId, Slow = slow });

        if (!context.RequestAborted.IsCancellationRequested)
        {
            await reply.WriteAsync(context.Response, requestId);
        }
    }

    private Reply Decide(HttpRequest request, string path, RouteMatch? match, byte[] body, int sequence)
    {
        var family = match?.Route.Family ?? Routes.FamilyOf(path);
        if (faults.FaultStatus(sequence) is { } faultStatus)
        {
            return ErrorBodies.Fault(family, faultStatus);
        }

        if (match is not { Route: var route })
        {
            return ErrorBodies.NoRoute(family, request.Method, path);
        }

        if (_limiter.TryAcquire(route.Group, route.Method) is { } retryAfter)
        {
            return ErrorBodies.RateLimited(family, route.Group, route.Method, retryAfter);
        }

        if (_auth.Check(family, request.Headers) is { } refusal)
        {
            return refusal;
        }

        var baseAddress = new Uri($"{request.Scheme}://{request.Host}/");
        return route.Kind == RouteKind.StartJob
            ? StartJob(route, request.ContentType, body, baseAddress, request.Headers["x-gw-ims-org-id"].ToString())
            : ReadStatus(route, match.JobId!, baseAddress);
    }

    private Reply StartJob(Route route, string? contentType, byte[] body, Uri baseAddress, string organizationId)
    {
        var family = route.Family;
        var mediaType = contentType?.Split(';')[0].Trim() ?? "";
        if (mediaType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            return ErrorBodies.UnsupportedMediaType(family, $"Multipart bodies ({mediaType}) are not supported: send the job as JSON; files go by URL.");
        }

        if (!IsJson(mediaType))
        {
            return ErrorBodies.UnsupportedMediaType(family, $"The body must be JSON (Content-Type: application/json), not '{mediaType}'.");
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return ErrorBodies.BadRequest(family, $"The body is not valid JSON: {e.Message}");
        }

        if (node is not JsonObject json)
        {
            return ErrorBodies.BadRequest(family, "The body must be a JSON object.");
        }

        JobSpec spec;
        try
        {
            spec = JobRequests.Read(route, json, baseAddress);
        }
        catch (InvalidBodyException e)
        {
            return e.TooManyInputs ? ErrorBodies.BadRequest(family, e.Message, e.Member) : ErrorBodies.Invalid(family, e.Member, e.Message);
        }

        if (family == ApiFamily.V1 && spec.InputExpired)
        {
            return ErrorBodies.InputLinkExpired(family, spec.InputUrl!);
        }

        var job = jobs.Create(spec);
        var statusUrl = StatusUrl(baseAddress, route.StatusPath, job.Id);
        if (organizationId.Length > 0)
        {
            // Events are only emitted for jobs sent with an organisation; their body has the v1 status's shape.
            events.JobStarted(job, organizationId, now => JobViews.V1Status(job, now, statusUrl).Body!);
        }

        return JobViews.Accepted(family, job, statusUrl);
    }

    private Reply ReadStatus(Route route, string jobId, Uri baseAddress)
    {
        if (jobs.Find(jobId) is not { } job)
        {
            return ErrorBodies.NoJob(route.Family, jobId);
        }

        var now = options.TimeProvider.GetUtcNow();
        return route.Family == ApiFamily.V1
            ? JobViews.V1Status(job, now, StatusUrl(baseAddress, route.StatusPath, job.Id))
            : JobViews.V2Status(job, now);
    }

    /// <summary>The status URL of a job: the emulator's job ids need no escaping (<c>urn:ff:jobs:</c> and a GUID).</summary>
    private static Uri StatusUrl(Uri baseAddress, string statusPath, string jobId) => new(baseAddress, statusPath.TrimStart('/') + jobId);

    private static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    private Dictionary<string, string> RecordHeaders(IHeaderDictionary headers)
    {
        var recorded = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["authorization"] = _auth.ReadToken(headers).ToString().ToLowerInvariant(),
        };
        foreach (var name in RecordedHeaders)
        {
            if (headers.TryGetValue(name, out var value))
            {
                recorded[name] = value.ToString();
            }
        }

        return recorded;
    }
}

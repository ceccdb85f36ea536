using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Conduit.Adobe.Events;

/// <summary>
/// The webhook endpoint. A GET is the registration challenge. A POST is a delivery, checked in this order:
/// size, JSON, recipient (before any key is fetched), signature over the raw body, event id; then each new
/// event is queued for the background handlers and the delivery answered at once: 200 for accepted and
/// duplicate events alike (Adobe stops retrying), 4xx with a short reason for a refused one (Adobe does
/// not retry those), 503 when the event could not be queued or the key could not be fetched (Adobe retries).
/// </summary>
internal sealed partial class AdobeEventReceiver(
    AdobeEventsOptions options,
    IAdobeEventKeySource keys,
    IAdobeEventIdStore ids,
    AdobeEventQueue queue,
    TimeProvider time,
    ILogger logger)
{
    private const int MaxChallengeLength = 1024;
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>What the signature headers proved, weakest first.</summary>
    private enum Verdict
    {
        Missing,
        ForeignKey,
        Invalid,
        KeyUnavailable,
        Genuine,
    }

    public Task HandleAsync(HttpContext context)
        => HttpMethods.IsGet(context.Request.Method) ? AnswerChallengeAsync(context) : ReceiveAsync(context);

    /// <summary>Echoes <c>?challenge=</c>: as JSON <c>{"challenge": ...}</c> when the request asks for JSON, else as text.</summary>
    private static async Task AnswerChallengeAsync(HttpContext context)
    {
        var challenge = context.Request.Query["challenge"];
        if (challenge.Count != 1 || string.IsNullOrEmpty(challenge[0]) || challenge[0]!.Length > MaxChallengeLength)
        {
            await AnswerAsync(context, StatusCodes.Status400BadRequest, "no challenge");
            return;
        }

        var response = context.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        if (WantsJson(context.Request))
        {
            response.ContentType = "application/json";
            await using var writer = new Utf8JsonWriter(response.Body);
            writer.WriteStartObject();
            writer.WriteString("challenge", challenge[0]);
            writer.WriteEndObject();
            return;
        }

        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(challenge[0]!, context.RequestAborted);
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        var body = await ReadBodyAsync(request, options.MaxBodyBytes, aborted);
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "body too large", null);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, JsonOptions);
        }
        catch (JsonException)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "body is not JSON", null);
            return;
        }

        using (document)
        {
            // A single delivery is one event object; a batch delivery an array of them.
            var single = document.RootElement.ValueKind == JsonValueKind.Object;
            var events = single ? [document.RootElement] : Elements(document.RootElement);
            if (events is null)
            {
                await RefuseAsync(context, StatusCodes.Status400BadRequest, "body is not an event or a batch of events", null);
                return;
            }

            // Who it is for is checked first: a delivery for someone else costs no key fetch.
            if (events.Exists(e => String(e, "recipient_client_id") != options.ClientId))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "not addressed to this client", null);
                return;
            }

            switch (await VerifyAsync(request.Headers, body, aborted))
            {
                case Verdict.Missing:
                    await RefuseAsync(context, StatusCodes.Status401Unauthorized, "signature missing", null);
                    return;
                case Verdict.ForeignKey:
                    await RefuseAsync(context, StatusCodes.Status401Unauthorized, "key path not on static.adobeioevents.com", null);
                    return;
                case Verdict.Invalid:
                    await RefuseAsync(context, StatusCodes.Status401Unauthorized, "signature does not verify", null);
                    return;
                case Verdict.KeyUnavailable:
                    await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "signing key unavailable, retry", null);
                    return;
            }

            var received = new List<ReceivedEvent>(events.Count);
            var now = time.GetUtcNow();
            foreach (var element in events)
            {
                // The payload's event_id is signed; the header is only trusted when the payload has none.
                var id = String(element, "event_id") ?? (single ? NonEmpty(request.Headers["x-adobe-event-id"].ToString()) : null);
                if (id is null)
                {
                    await RefuseAsync(context, StatusCodes.Status400BadRequest, "no event id", null);
                    return;
                }

                var content = element.TryGetProperty("event", out var e) ? e : default;
                var code = String(Member(content, "header"), "eventCode") ?? (single ? NonEmpty(request.Headers["x-adobe-event-code"].ToString()) : null);
                var json = single ? body : Encoding.UTF8.GetBytes(element.GetRawText());
                received.Add(new ReceivedEvent(id, code, String(Member(content, "body"), "jobId"), json, now));
            }

            await QueueAsync(context, received);
        }
    }

    /// <summary>Queues each event not seen before; a full queue answers 503 and forgets the id, so Adobe's retry is accepted.</summary>
    private async Task QueueAsync(HttpContext context, List<ReceivedEvent> received)
    {
        var accepted = 0;
        foreach (var e in received)
        {
            if (!await ids.TryAddAsync(e.EventId, context.RequestAborted))
            {
                LogDuplicate(logger, e.EventId, e.EventCode);
                continue;
            }

            if (!await queue.TryWriteAsync(e, options.QueueWait, context.RequestAborted))
            {
                await ids.RemoveAsync(e.EventId, CancellationToken.None);
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "busy, retry", e.EventId);
                return;
            }

            LogAccepted(logger, e.EventId, e.EventCode, e.JobId);
            accepted++;
        }

        await AnswerAsync(context, StatusCodes.Status200OK, accepted == 0 ? "duplicate" : "accepted");
    }

    /// <summary>Whether either signature verifies with its key; when neither does, the strongest reason why.</summary>
    private async Task<Verdict> VerifyAsync(IHeaderDictionary headers, byte[] body, CancellationToken cancellationToken)
    {
        var verdict = Verdict.Missing;
        foreach (var (signatureHeader, keyPathHeader) in EventSignature.Headers)
        {
            var signature = headers[signatureHeader].ToString();
            var keyPath = headers[keyPathHeader].ToString();
            if (signature.Length == 0 || keyPath.Length == 0)
            {
                continue;
            }

            if (!AdobeEventKeySource.TryGetKeyUrl(keyPath, out var url))
            {
                verdict = Stronger(verdict, Verdict.ForeignKey);
                continue;
            }

            string? pem;
            try
            {
                pem = await keys.GetPublicKeyAsync(url.AbsolutePath, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                LogKeyUnavailable(logger, url.AbsolutePath, e.Message);
                verdict = Stronger(verdict, Verdict.KeyUnavailable);
                continue;
            }

            if (pem is not null && EventSignature.Verify(body, signature, pem))
            {
                return Verdict.Genuine;
            }

            verdict = Stronger(verdict, Verdict.Invalid);
        }

        return verdict;
    }

    private static Verdict Stronger(Verdict a, Verdict b) => a > b ? a : b;

    private async Task RefuseAsync(HttpContext context, int status, string reason, string? eventId)
    {
        LogRefused(logger, status, reason, eventId);
        await AnswerAsync(context, status, reason);
    }

    /// <summary>A short text answer. Never an echo of what was sent: the reason is one of the receiver's own.</summary>
    private static async Task AnswerAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    private static bool WantsJson(HttpRequest request)
    {
        double json = 0, text = 0;
        foreach (var accepted in request.GetTypedHeaders().Accept)
        {
            var quality = accepted.Quality ?? 1;
            if (accepted.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
            else if (accepted.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
        }

        return json > 0 && json >= text;
    }

    /// <summary>The body, or <see langword="null"/> when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static List<JsonElement>? Elements(JsonElement batch)
    {
        if (batch.ValueKind != JsonValueKind.Array || batch.GetArrayLength() == 0)
        {
            return null;
        }

        var elements = new List<JsonElement>();
        foreach (var element in batch.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            elements.Add(element);
        }

        return elements;
    }

    private static JsonElement Member(JsonElement owner, string name)
        => owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) ? value : default;

    private static string? String(JsonElement owner, string name)
        => Member(owner, name) is { ValueKind: JsonValueKind.String } value ? NonEmpty(value.GetString()) : null;

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    [LoggerMessage(1, LogLevel.Warning, "Adobe I/O Events delivery refused with {Status}: {Reason} (event {EventId})")]
    private static partial void LogRefused(ILogger logger, int status, string reason, string? eventId);

    [LoggerMessage(2, LogLevel.Debug, "Adobe I/O Events event {EventId} ({EventCode}) accepted for job {JobId}")]
    private static partial void LogAccepted(ILogger logger, string eventId, string? eventCode, string? jobId);

    [LoggerMessage(3, LogLevel.Debug, "Adobe I/O Events event {EventId} ({EventCode}) was accepted before; answered 200 again")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string? eventCode);

    [LoggerMessage(4, LogLevel.Warning, "The Adobe I/O Events key {KeyPath} could not be fetched; the delivery is answered 503 so Adobe retries it: {Reason}")]
    private static partial void LogKeyUnavailable(ILogger logger, string keyPath, string reason);
}

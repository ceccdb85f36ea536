using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

namespace Photoshop.Emulator;

/// <summary>What an Adobe I/O Events registration receives: a webhook, a journal, or both.</summary>
public sealed record EventRegistrationOptions
{
    /// <summary>Where events are POSTed; the emulator sends the challenge there first. None: journal only.</summary>
    public Uri? WebhookUrl { get; init; }

    /// <summary>The credential the registration belongs to, sent as <c>recipient_client_id</c>. Default: the emulator's <see cref="EmulatorOptions.ApiKey"/>.</summary>
    public string? ClientId { get; init; }

    /// <summary>Whether events are also written to the registration's journal. Default true, as the service does.</summary>
    public bool Journal { get; init; } = true;

    /// <summary>Whether the challenge asks for the JSON answer (<c>Accept: application/json</c>) rather than text.</summary>
    public bool JsonChallenge { get; init; }
}

/// <summary>One attempt to deliver an event to a webhook.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="JobId">The job the event is about.</param>
/// <param name="Attempt">1 for the first delivery, 2 for the first retry, and so on.</param>
/// <param name="At">When it was sent, by the emulator's clock.</param>
/// <param name="Status">The webhook's answer, or 0 when there was none within <see cref="EmulatorOptions.EventDeliveryTimeout"/>.</param>
/// <param name="Duplicate">Whether this is the extra copy of a delivered event (<see cref="EmulatorOptions.EventDuplicateRate"/>).</param>
public sealed record EventDelivery(string EventId, string JobId, int Attempt, DateTimeOffset At, int Status, bool Duplicate)
{
    /// <summary>Whether the webhook accepted it (2xx).</summary>
    public bool Succeeded => Status is >= 200 and < 300;
}

/// <summary>An Adobe I/O Events registration of the emulator: where its events go, and what happened to them.</summary>
public sealed class EventRegistration
{
    private readonly List<EventDelivery> _deliveries = new();
    private readonly List<(string Position, JsonNode Event)> _journal = new();

    internal EventRegistration(string id, EventRegistrationOptions options, string clientId, Uri? journalUrl)
    {
        Id = id;
        WebhookUrl = options.WebhookUrl;
        ClientId = clientId;
        JournalUrl = journalUrl;
    }

    /// <summary>The registration's id.</summary>
    public string Id { get; }

    /// <summary>Where events are POSTed, if anywhere.</summary>
    public Uri? WebhookUrl { get; }

    /// <summary>The recipient client id of its events.</summary>
    public string ClientId { get; }

    /// <summary>Its journal, <c>&lt;BaseAddress&gt;events/&lt;id&gt;</c>, when it has one: read with the emulator's token and API key.</summary>
    public Uri? JournalUrl { get; }

    /// <summary>Every delivery attempt so far, in the order they were answered.</summary>
    public IReadOnlyList<EventDelivery> Deliveries
    {
        get
        {
            lock (_deliveries)
            {
                return [.. _deliveries];
            }
        }
    }

    /// <summary>Events written to the journal so far.</summary>
    public int JournalLength
    {
        get
        {
            lock (_journal)
            {
                return _journal.Count;
            }
        }
    }

    internal void Record(EventDelivery delivery)
    {
        lock (_deliveries)
        {
            _deliveries.Add(delivery);
        }
    }

    internal void Append(JsonNode journalEvent)
    {
        lock (_journal)
        {
            _journal.Add(($"{Id}:{_journal.Count + 1}", journalEvent));
        }
    }

    /// <summary>The journal's entries after <paramref name="position"/> (all when null), at most <paramref name="limit"/>; null when the position is not one of this journal's.</summary>
    internal List<(string Position, JsonNode Event)>? After(string? position, int limit)
    {
        lock (_journal)
        {
            var from = 0;
            if (position is not null)
            {
                var prefix = Id + ":";
                if (!position.StartsWith(prefix, StringComparison.Ordinal) || !int.TryParse(position[prefix.Length..], out from) || from < 0 || from > _journal.Count)
                {
                    return null;
                }
            }

            return _journal.Skip(from).Take(limit).ToList();
        }
    }

    /// <summary>The position at the end of the journal now.</summary>
    internal string End
    {
        get
        {
            lock (_journal)
            {
                return $"{Id}:{_journal.Count}";
            }
        }
    }
}

/// <summary>
/// Adobe I/O Events as the emulator plays it: when a job sent with <c>x-gw-ims-org-id</c> ends, each
/// registration gets a <c>photoshop-job-status</c> event. Webhook deliveries are signed with two RSA key
/// pairs of the emulator's own (RSA-SHA256 over the body, as Adobe signs), delivered at least once (some
/// twice, <see cref="EmulatorOptions.EventDuplicateRate"/>), and retried on Adobe's schedule when they fail.
/// </summary>
internal sealed class EventHub : IAsyncDisposable
{
    public const string EventCode = "photoshop-job-status";
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly int[] RetryMinutes = [1, 2, 4, 8, 15];

    private readonly EmulatorOptions _options;
    private readonly Faults _faults;
    private readonly (RSA Key, string Path)[] _keys;
    private readonly ConcurrentDictionary<string, EventRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _running = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private long _events;

    public EventHub(EmulatorOptions options, Faults faults)
    {
        _options = options;
        _faults = faults;
        _keys = [.. Enumerable.Range(0, 2).Select(_ => (RSA.Create(2048), $"/prod/keys/pub-key-{Guid.NewGuid():D}.pem"))];
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = options.EventDeliveryTimeout };
        PublicKeys = _keys.ToDictionary(k => k.Path, k => k.Key.ExportSubjectPublicKeyInfoPem(), StringComparer.Ordinal);
    }

    /// <summary>The public keys deliveries are signed with, PEM, by the path the key headers name.</summary>
    public IReadOnlyDictionary<string, string> PublicKeys { get; }

    public EventRegistration? Find(string id) => _registrations.GetValueOrDefault(id);

    /// <summary>Creates a registration; with a webhook, only once it answered the challenge.</summary>
    public async Task<EventRegistration> RegisterAsync(EventRegistrationOptions registration, Uri baseAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registration);
        if (registration.WebhookUrl is { } webhook)
        {
            if (!webhook.IsAbsoluteUri || webhook.Scheme is not ("http" or "https"))
            {
                throw new ArgumentException("The webhook URL must be an absolute http(s) URL.", nameof(registration));
            }

            await ChallengeAsync(webhook, registration.JsonChallenge, cancellationToken);
        }
        else if (!registration.Journal)
        {
            throw new ArgumentException("A registration needs a webhook URL or a journal.", nameof(registration));
        }

        var id = Guid.NewGuid().ToString("N");
        var created = new EventRegistration(id, registration, registration.ClientId ?? _options.ApiKey, registration.Journal ? new Uri(baseAddress, JournalEndpoint.Prefix.TrimStart('/') + id) : null);
        _registrations[id] = created;
        return created;
    }

    /// <summary>Publishes the job's event to every registration when the job ends (its status body is read then).</summary>
    public void JobStarted(Job job, string organizationId, Func<DateTimeOffset, JsonNode> statusAt)
    {
        // The timer is set now, while the job's request is answered, so a test that moves the clock after
        // the 202 always finds it set.
        var ends = job.Created + _options.JobDuration - _options.TimeProvider.GetUtcNow();
        var due = Task.Delay(ends > TimeSpan.Zero ? ends : TimeSpan.Zero, _options.TimeProvider, _stopping.Token);
        Track(PublishWhenDueAsync(due, job, organizationId, statusAt));
    }

    private async Task PublishWhenDueAsync(Task due, Job job, string organizationId, Func<DateTimeOffset, JsonNode> statusAt)
    {
        await due;
        var body = statusAt(_options.TimeProvider.GetUtcNow());
        foreach (var registration in _registrations.Values)
        {
            Publish(registration, job.Id, organizationId, body.DeepClone());
        }
    }

    /// <summary>Stops every scheduled and running delivery.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            // Deliveries cut short by the stop.
        }

        _http.Dispose();
        foreach (var (key, _) in _keys)
        {
            key.Dispose();
        }

        _stopping.Dispose();
    }

    private void Publish(EventRegistration registration, string jobId, string organizationId, JsonNode status)
    {
        var eventId = Guid.NewGuid().ToString("D");
        var content = new JsonObject
        {
            ["header"] = new JsonObject
            {
                ["msgType"] = "JOB_COMPLETION_STATUS",
                ["msgId"] = Guid.NewGuid().ToString("D"),
                ["imsOrgId"] = organizationId,
                ["eventCode"] = EventCode,
            },
            ["body"] = status,
        };
        if (registration.JournalUrl is not null)
        {
            registration.Append(new JsonObject { ["event_id"] = eventId, ["event"] = content.DeepClone() });
        }

        if (registration.WebhookUrl is { } webhook)
        {
            var payload = new JsonObject { ["event_id"] = eventId, ["event"] = content, ["recipient_client_id"] = registration.ClientId };
            var number = Interlocked.Increment(ref _events);
            Track(DeliverAsync(registration, webhook, eventId, jobId, Encoding.UTF8.GetBytes(payload.ToJsonString(Json)), _faults.EventDuplicated(number)));
        }
    }

    /// <summary>Delivers until the webhook accepts, answers something not worth retrying, or 24 hours (scaled) have passed.</summary>
    private async Task DeliverAsync(EventRegistration registration, Uri webhook, string eventId, string jobId, byte[] body, bool duplicate)
    {
        var signatures = _keys.Select(k => Convert.ToBase64String(k.Key.SignData(body, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))).ToArray();
        var waited = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var status = await SendAsync(webhook, eventId, body, signatures, attempt - 1);
            var delivery = new EventDelivery(eventId, jobId, attempt, _options.TimeProvider.GetUtcNow(), status, false);
            if (delivery.Succeeded)
            {
                registration.Record(delivery);
                if (duplicate)
                {
                    var again = await SendAsync(webhook, eventId, body, signatures, 0);
                    registration.Record(delivery with { At = _options.TimeProvider.GetUtcNow(), Status = again, Duplicate = true });
                }

                return;
            }

            // The service retries no answer, 429 and 5xx but 505; any other answer drops the event. The next
            // attempt's timer is set before this one is recorded, so whoever sees the record may move the clock.
            var wait = TimeSpan.FromMinutes(RetryMinutes[Math.Min(attempt - 1, RetryMinutes.Length - 1)] * _options.EventRetryScale);
            var retry = status is 0 or 429 or (>= 500 and <= 599 and not 505) && waited + wait <= TimeSpan.FromHours(24) * _options.EventRetryScale;
            var next = retry ? Task.Delay(wait, _options.TimeProvider, _stopping.Token) : null;
            registration.Record(delivery);
            if (next is null)
            {
                return;
            }

            waited += wait;
            await next;
        }
    }

    private async Task<int> SendAsync(Uri webhook, string eventId, byte[] body, string[] signatures, int retryCount)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("x-adobe-event-code", EventCode);
        request.Headers.Add("x-adobe-event-id", eventId);
        request.Headers.Add("x-adobe-provider", "Imaging API Events");
        for (var i = 0; i < _keys.Length; i++)
        {
            request.Headers.Add($"x-adobe-digital-signature-{i + 1}", signatures[i]);
            request.Headers.Add($"x-adobe-public-key{i + 1}-path", _keys[i].Path);
        }

        if (retryCount > 0)
        {
            request.Headers.Add("x-adobe-retry-count", retryCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            using var response = await _http.SendAsync(request, _stopping.Token);
            return (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !_stopping.IsCancellationRequested))
        {
            return 0;
        }
    }

    /// <summary>Adobe's registration check: <c>GET url?challenge=x</c> must answer x, as text or as <c>{"challenge": x}</c>.</summary>
    private async Task ChallengeAsync(Uri webhook, bool json, CancellationToken cancellationToken)
    {
        var challenge = Guid.NewGuid().ToString("D");
        var url = new UriBuilder(webhook);
        url.Query = (url.Query.Length > 1 ? url.Query[1..] + "&" : string.Empty) + "challenge=" + challenge;
        using var request = new HttpRequestMessage(HttpMethod.Get, url.Uri);
        request.Headers.Accept.ParseAdd(json ? "application/json" : "text/plain");
        using var response = await _http.SendAsync(request, cancellationToken);
        var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var answered = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? ChallengeInJson(text)
            : text.Trim('"');
        if (!response.IsSuccessStatusCode || answered != challenge)
        {
            throw new InvalidOperationException($"The webhook at {webhook.GetLeftPart(UriPartial.Path)} did not answer the registration challenge (status {(int)response.StatusCode}); the registration is not created.");
        }
    }

    private static string? ChallengeInJson(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject answer && answer["challenge"] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Track(Task task)
    {
        _running[task] = true;
        task.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
    }
}

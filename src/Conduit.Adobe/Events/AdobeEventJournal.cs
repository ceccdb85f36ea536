using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;

namespace Conduit.Adobe.Events;

/// <summary>Where a journal read starts and whether it waits for new events at the end.</summary>
public sealed class JournalReadOptions
{
    /// <summary>Resume after this position (an earlier <see cref="JournalEvent{TEvent}.Position"/>). Default: the oldest available event.</summary>
    public string? Since { get; init; }

    /// <summary>Start at the end of the journal: only events written from now on. Ignored when <see cref="Since"/> is set.</summary>
    public bool Latest { get; init; }

    /// <summary>The most events one page may hold (Adobe's <c>limit</c>); kept on every <c>next</c> link. Default: the service's choice.</summary>
    public int? Limit { get; init; }

    /// <summary>
    /// At the end of the journal (204), wait the <c>retry-after</c> it gives and ask again, until cancelled.
    /// Default <see langword="false"/>: the read ends at the end of the journal.
    /// </summary>
    public bool Follow { get; init; }
}

/// <summary>One journal entry: its position (resume after it with <see cref="JournalReadOptions.Since"/>) and the typed event.</summary>
/// <typeparam name="TEvent">The webhook's payload model.</typeparam>
/// <param name="Position">The entry's position in the journal.</param>
/// <param name="Event">The event.</param>
public sealed record JournalEvent<TEvent>(string Position, TEvent Event);

/// <summary>
/// Adobe I/O Events journaling, the pull alternative to a webhook: reads a registration's journal page by
/// page, following each answer's <c>Link: &lt;...&gt;; rel="next"</c>, up to the end of the journal (204 with
/// <c>retry-after</c>), where it stops or waits. The journal keeps 7 days of events. Send the requests
/// signed in (an <see cref="HttpClient"/> over <see cref="AdobeAuthenticationHandler"/>); <c>next</c> links
/// are only followed on the journal's own host, so credentials go nowhere else.
/// </summary>
public sealed class AdobeEventJournal
{
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);
    private readonly HttpClient _http;
    private readonly string? _organizationId;
    private readonly TimeProvider _time;

    /// <summary>Creates the reader.</summary>
    /// <param name="httpClient">Sends the requests, signed in.</param>
    /// <param name="journalUrl">The registration's journal URL (the Developer Console shows it).</param>
    /// <param name="organizationId">The IMS organisation, sent as <c>x-ims-org-id</c> when set.</param>
    /// <param name="timeProvider">The clock of the waits at the end of the journal; the system's when <see langword="null"/>.</param>
    public AdobeEventJournal(HttpClient httpClient, Uri journalUrl, string? organizationId = null, TimeProvider? timeProvider = null)
    {
        _http = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        ArgumentNullException.ThrowIfNull(journalUrl);
        if (!journalUrl.IsAbsoluteUri || journalUrl.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException("The journal URL must be an absolute http(s) URL.", nameof(journalUrl));
        }

        JournalUrl = journalUrl;
        _organizationId = organizationId;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The registration's journal URL.</summary>
    public Uri JournalUrl { get; }

    /// <summary>Reads the journal's events of <paramref name="webhook"/>, in journal order.</summary>
    /// <typeparam name="TEvent">The webhook's payload model.</typeparam>
    /// <param name="webhook">The generated descriptor that reads each event.</param>
    /// <param name="options">Where to start and whether to wait at the end; from the oldest event, stopping at the end, when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Ends the read.</param>
    /// <exception cref="HttpRequestException">The journal refused the read (its status says why; 410: the position expired).</exception>
    /// <exception cref="JsonException">A page or an event is not of the documented shape.</exception>
    public async IAsyncEnumerable<JournalEvent<TEvent>> ReadAsync<TEvent>(WebhookInfo<TEvent> webhook, JournalReadOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        options ??= new JournalReadOptions();
        var url = FirstPage(options);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (_organizationId is not null)
            {
                request.Headers.TryAddWithoutValidation("x-ims-org-id", _organizationId);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var next = NextLink(response, url);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                if (!options.Follow)
                {
                    yield break;
                }

                await Task.Delay(RetryAfter(response), _time, cancellationToken).ConfigureAwait(false);
                url = next ?? url;
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(Explain(response.StatusCode), null, response.StatusCode);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            string? last = null;
            foreach (var (position, json) in Entries(body))
            {
                last = position;
                yield return new JournalEvent<TEvent>(position, webhook.Read(json));
            }

            url = next ?? (last is null ? url : PageAfter(last, options.Limit));
        }
    }

    private Uri FirstPage(JournalReadOptions options)
        => options.Since is { } since ? PageAfter(since, options.Limit)
            : WithQuery(JournalUrl, (options.Latest ? "latest=true" : null, options.Limit is { } limit ? "limit=" + limit.ToString(CultureInfo.InvariantCulture) : null));

    private Uri PageAfter(string position, int? limit)
        => WithQuery(JournalUrl, ("since=" + Uri.EscapeDataString(position), limit is { } l ? "limit=" + l.ToString(CultureInfo.InvariantCulture) : null));

    private static Uri WithQuery(Uri url, (string? First, string? Second) parameters)
    {
        var query = string.Join("&", new[] { parameters.First, parameters.Second }.Where(p => p is not null));
        if (query.Length == 0)
        {
            return url;
        }

        var builder = new UriBuilder(url);
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + "&" + query : query;
        return builder.Uri;
    }

    /// <summary>The entries of a page: each <c>events[i]</c>'s <c>position</c> and its <c>event</c> as raw JSON.</summary>
    private static List<(string Position, byte[] Json)> Entries(byte[] body)
    {
        using var page = JsonDocument.Parse(body);
        if (page.RootElement.ValueKind != JsonValueKind.Object || !page.RootElement.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The journal page has no 'events' array.");
        }

        var entries = new List<(string, byte[])>(events.GetArrayLength());
        foreach (var entry in events.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("position", out var position) || position.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("event", out var content))
            {
                throw new JsonException("A journal entry has no 'position' string or no 'event'.");
            }

            entries.Add((position.GetString()!, Encoding.UTF8.GetBytes(content.GetRawText())));
        }

        return entries;
    }

    /// <summary>The <c>rel="next"</c> link, resolved against the request; only on the journal's own scheme, host and port.</summary>
    private Uri? NextLink(HttpResponseMessage response, Uri requested)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            foreach (var (target, parameters) in Links(value))
            {
                if (!IsNext(parameters))
                {
                    continue;
                }

                var next = new Uri(requested, target);
                if (Uri.Compare(next, JournalUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    throw new HttpRequestException($"The journal's next link leads to {next.Scheme}://{next.Authority}, not to the journal's host {JournalUrl.Authority}; it is not followed.");
                }

                return next;
            }
        }

        return null;
    }

    /// <summary>The links of a <c>Link</c> header value: <c>&lt;target&gt;; param; param, &lt;target&gt;; ...</c>.</summary>
    private static IEnumerable<(string Target, string Parameters)> Links(string header)
    {
        var at = 0;
        while (header.IndexOf('<', at) is var start and >= 0 && header.IndexOf('>', start) is var end and >= 0)
        {
            var following = header.IndexOf('<', end);
            yield return (header[(start + 1)..end], header[(end + 1)..(following < 0 ? header.Length : following)]);
            at = end + 1;
        }
    }

    private static bool IsNext(string parameters)
    {
        foreach (var parameter in parameters.Split(';', ',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase)
                && Array.Exists(parameter[(equals + 1)..].Trim().Trim('"').Split(' '), rel => rel.Equals("next", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    private TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - _time.GetUtcNow() : DefaultRetryAfter);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    private static string Explain(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => $"The journal refused the read ({(int)status}): check the token, the x-api-key, and that the project has the I/O Management API.",
        404 => "The journal answered 404: check the registration's journal URL in the Developer Console.",
        410 => "The journal answered 410: the events at this position have expired (the journal keeps 7 days). Read again from the oldest available event, or with Latest.",
        var code => $"The journal answered {code}.",
    };
}

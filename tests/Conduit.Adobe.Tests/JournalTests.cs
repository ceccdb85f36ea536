using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Conduit.Adobe.Tests.PhotoshopModels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Photoshop.Emulator;

namespace Conduit.Adobe.Tests;

/// <summary>The journaling client against the emulator's journal: paging by next links, resuming, waiting at the end.</summary>
public sealed class JournalTests : IAsyncLifetime
{
    private const string Org = "0123ABCD@AdobeOrg";
    private readonly FakeTimeProvider _serviceTime = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeTimeProvider _readerTime = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly Counter _wire = new();
    private PhotoshopEmulator _emulator = null!;
    private ImsTokenProvider _tokens = null!;
    private HttpClient _http = null!;
    private EventRegistration _registration = null!;

    public async Task InitializeAsync()
    {
        _emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { TimeProvider = _serviceTime });
        _tokens = new ImsTokenProvider(new AdobeCredentials(_emulator.Options.ApiKey, _emulator.Options.ClientSecret) { TokenEndpoint = _emulator.TokenEndpoint, OrganizationId = Org }, timeProvider: _serviceTime);
        _wire.InnerHandler = new SocketsHttpHandler();
        _http = new HttpClient(new AdobeAuthenticationHandler(_tokens) { InnerHandler = _wire }) { BaseAddress = _emulator.BaseAddress };
        _registration = await _emulator.RegisterEventsAsync(new EventRegistrationOptions());
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _tokens.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task The_journal_is_read_page_by_page_to_its_end_as_typed_events()
    {
        var jobs = await FinishJobsAsync(5);
        var journal = new AdobeEventJournal(_http, _registration.JournalUrl!, Org, _readerTime);
        _wire.Reset();

        var events = await ToListAsync(journal.ReadAsync(PhotoshopClient.Webhooks.PhotoshopJobStatus, new JournalReadOptions { Limit = 2 }));

        Assert.Equal(jobs.Order(), events.Select(e => e.Event.Event.Body.JobId).Order());
        Assert.Equal(5, events.Select(e => e.Position).Distinct().Count());
        Assert.All(events, e => Assert.Null(e.Event.RecipientClientId));
        Assert.Equal(["?limit=2", "?since=P2&limit=2", "?since=P4&limit=2", "?since=P5&limit=2"], _wire.Queries.Select(q => Positions(q, events)));
        Assert.All(_wire.OrgHeaders, header => Assert.Equal(Org, header));
    }

    [Fact]
    public async Task A_read_resumes_after_a_position()
    {
        await FinishJobsAsync(4);
        var journal = new AdobeEventJournal(_http, _registration.JournalUrl!, timeProvider: _readerTime);
        var all = await ToListAsync(journal.ReadAsync(PhotoshopClient.Webhooks.PhotoshopJobStatus));

        var rest = await ToListAsync(journal.ReadAsync(PhotoshopClient.Webhooks.PhotoshopJobStatus, new JournalReadOptions { Since = all[1].Position }));

        Assert.Equal(all.Skip(2).Select(e => e.Position), rest.Select(e => e.Position));
    }

    [Fact]
    public async Task A_following_read_waits_the_retry_after_at_the_end_and_then_yields_new_events()
    {
        var journal = new AdobeEventJournal(_http, _registration.JournalUrl!, timeProvider: _readerTime);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var reader = journal.ReadAsync(PhotoshopClient.Webhooks.PhotoshopJobStatus, new JournalReadOptions { Latest = true, Follow = true }, stop.Token).GetAsyncEnumerator(stop.Token);

        var next = reader.MoveNextAsync().AsTask();
        await Until(() => _wire.Queries.Count == 1);
        var job = (await FinishJobsAsync(1)).Single();
        await Task.Delay(100);
        Assert.False(next.IsCompleted);
        Assert.Single(_wire.Queries);

        // The reader waits the 204's retry-after (10 s) on its own clock: not done after 9 s, done soon after 10.
        for (var second = 0; second < 9; second++)
        {
            _readerTime.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.False(next.IsCompleted);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!next.IsCompleted && DateTime.UtcNow < deadline)
        {
            _readerTime.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(job, reader.Current.Event.Event.Body.JobId);
        Assert.Equal(["?latest=true", "?since=" + _registration.Id + "%3A0"], _wire.Queries);
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_not_followed()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Run(context =>
        {
            context.Response.Headers["Link"] = "<https://evil.example/journal?since=1>; rel=\"next\"";
            return context.Response.WriteAsync("""{"events":[],"_page":{"count":0}}""");
        });
        await app.StartAsync();
        using var http = new HttpClient();
        var journal = new AdobeEventJournal(http, new Uri(app.Urls.Single() + "/journal"));

        var e = await Assert.ThrowsAsync<HttpRequestException>(() => ToListAsync(journal.ReadAsync(PhotoshopClient.Webhooks.PhotoshopJobStatus)));

        Assert.Contains("evil.example", e.Message);
        Assert.Contains("not followed", e.Message);
    }

    /// <summary>Starts jobs sent with the organisation and lets them finish; returns their ids once the journal has them.</summary>
    private async Task<List<string>> FinishJobsAsync(int count)
    {
        var client = new PhotoshopClient(_http);
        var before = _registration.JournalLength;
        var jobs = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var job = await client.CreateCompositeAsync(new CreateCompositeRequest
            {
                Image = new ImageInput { Source = new FileSource { Url = new Uri("https://bucket.s3.amazonaws.com/in.jpg") } },
                Outputs = [new ImageOutput { Destination = new FileDestination { Url = new Uri("https://bucket.s3.amazonaws.com/out.psd") }, MediaType = ImageMediaType.ImageVndAdobePhotoshop }],
            });
            jobs.Add(job.JobId);
        }

        _serviceTime.Advance(TimeSpan.FromSeconds(2));
        await Until(() => _registration.JournalLength == before + count);
        return jobs;
    }

    /// <summary>A query with each event's position replaced by P and its 1-based index.</summary>
    private static string Positions(string query, List<JournalEvent<PhotoshopJobStatusEvent>> events)
    {
        for (var i = events.Count - 1; i >= 0; i--)
        {
            query = query.Replace(Uri.EscapeDataString(events[i].Position), "P" + (i + 1), StringComparison.Ordinal);
        }

        return query;
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(5);
        }
    }

    /// <summary>Records the query and x-ims-org-id of each journal request.</summary>
    private sealed class Counter : DelegatingHandler
    {
        private readonly List<(string Query, string? Org)> _seen = new();

        public IReadOnlyList<string> Queries
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen.Select(s => s.Query)];
                }
            }
        }

        public IReadOnlyList<string?> OrgHeaders
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen.Select(s => s.Org)];
                }
            }
        }

        public void Reset()
        {
            lock (_seen)
            {
                _seen.Clear();
            }
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.StartsWith("/events/", StringComparison.Ordinal))
            {
                lock (_seen)
                {
                    _seen.Add((request.RequestUri.Query, request.Headers.TryGetValues("x-ims-org-id", out var org) ? org.Single() : null));
                }
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

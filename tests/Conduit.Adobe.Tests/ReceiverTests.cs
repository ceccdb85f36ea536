using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Conduit.Adobe.Tests.Infrastructure;
using Conduit.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Conduit.Adobe.Tests;

/// <summary>
/// The I/O Events receiver on a real Kestrel: what it accepts (once), what it refuses and why, the challenge,
/// and that it answers at once while the handlers work in the background.
/// </summary>
public sealed class ReceiverTests : IAsyncLifetime
{
    private readonly EventSigner _signer = new();
    private CountingKeys _keys = null!;
    private ReceiverHost _host = null!;

    public async Task InitializeAsync()
    {
        _keys = new CountingKeys(new TrustedEventKeys(_signer.PublicKeys));
        _host = await ReceiverHost.StartAsync(_keys);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _signer.Dispose();
    }

    [Fact]
    public async Task A_signed_delivery_is_accepted_and_its_typed_event_reaches_the_handler_and_the_job_s_wait()
    {
        var woken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _host.Services.GetRequiredService<IJobEvents>().Subscribe("urn:ff:jobs:42", () => woken.TrySetResult());

        var (status, text) = await SendAsync(_signer.Delivery(_host.Url, EventSigner.Payload("e-42", "urn:ff:jobs:42")));

        Assert.Equal((HttpStatusCode.OK, "accepted"), (status, text));
        var received = Assert.Single(await _host.UntilAsync(1));
        Assert.Equal(("e-42", "photoshop-job-status", "urn:ff:jobs:42"), (received.EventId, received.EventCode, received.JobId));
        Assert.Equal("urn:ff:jobs:42", received.Payload.Event.Body.JobId);
        Assert.Equal(ReceiverHost.ClientId, received.Payload.RecipientClientId);
        await woken.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Either_signature_is_enough()
    {
        var body = EventSigner.Payload();
        using var request = _signer.Delivery(_host.Url, body);
        request.Headers.Remove("x-adobe-digital-signature-1");
        request.Headers.Add("x-adobe-digital-signature-1", Convert.ToBase64String(new byte[256]));

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(request)).Status);
        await _host.UntilAsync(1);
    }

    [Fact]
    public async Task A_tampered_body_is_refused()
    {
        var signed = EventSigner.Payload(jobId: "urn:ff:jobs:1");
        var tampered = signed.Replace("succeeded", "failed", StringComparison.Ordinal);

        var (status, text) = await SendAsync(_signer.Delivery(_host.Url, tampered, signedBody: signed));

        Assert.Equal((HttpStatusCode.Unauthorized, "signature does not verify"), (status, text));
        await AssertNothingHandledAsync();
    }

    [Fact]
    public async Task A_delivery_without_signatures_or_signed_by_another_key_is_refused()
    {
        var body = EventSigner.Payload();
        using var unsigned = new HttpRequestMessage(HttpMethod.Post, _host.Url) { Content = new StringContent(body, new MediaTypeHeaderValue("application/json")) };
        using var forged = _signer.Delivery(_host.Url, body);
        using var attacker = RSA.Create(2048);
        foreach (var i in new[] { 1, 2 })
        {
            forged.Headers.Remove($"x-adobe-digital-signature-{i}");
            forged.Headers.Add($"x-adobe-digital-signature-{i}", EventSigner.Sign(attacker, body));
        }

        using var keyOnly = _signer.Delivery(_host.Url, body);
        keyOnly.Headers.Remove("x-adobe-digital-signature-1");
        keyOnly.Headers.Remove("x-adobe-digital-signature-2");

        Assert.Equal((HttpStatusCode.Unauthorized, "signature missing"), await SendAsync(unsigned));
        Assert.Equal((HttpStatusCode.Unauthorized, "signature does not verify"), await SendAsync(forged));
        Assert.Equal((HttpStatusCode.Unauthorized, "signature missing"), await SendAsync(keyOnly));
        await AssertNothingHandledAsync();
    }

    [Theory]
    [InlineData("https://evil.example/prod/keys/pub-key-1.pem")]
    [InlineData("http://static.adobeioevents.com/prod/keys/pub-key-1.pem")]
    [InlineData("//evil.example/prod/keys/pub-key-1.pem")]
    [InlineData("https://static.adobeioevents.com.evil.example/prod/keys/pub-key-1.pem")]
    [InlineData("https://static.adobeioevents.com@evil.example/prod/keys/pub-key-1.pem")]
    [InlineData("/prod/keys/../../etc/passwd")]
    [InlineData("/prod/keys/%2e%2e/key.pem")]
    [InlineData("prod/keys/pub-key-1.pem")]
    public async Task A_key_path_off_Adobe_s_key_host_is_refused_without_fetching(string keyPath)
    {
        using var request = _signer.Delivery(_host.Url, EventSigner.Payload());
        foreach (var i in new[] { 1, 2 })
        {
            request.Headers.Remove($"x-adobe-public-key{i}-path");
            request.Headers.Add($"x-adobe-public-key{i}-path", keyPath);
        }

        Assert.Equal((HttpStatusCode.Unauthorized, "key path not on static.adobeioevents.com"), await SendAsync(request));
        Assert.Equal(0, _keys.Asked);
        Assert.False(AdobeEventKeySource.TryGetKeyUrl(keyPath, out _));
    }

    [Theory]
    [InlineData("someone-else")]
    [InlineData("")]
    public async Task A_delivery_for_another_client_is_refused_before_any_key_is_fetched(string recipient)
    {
        var (status, text) = await SendAsync(_signer.Delivery(_host.Url, EventSigner.Payload(recipient: recipient)));

        Assert.Equal((HttpStatusCode.Forbidden, "not addressed to this client"), (status, text));
        Assert.Equal(0, _keys.Asked);
        await AssertNothingHandledAsync();
    }

    [Fact]
    public async Task Repeated_deliveries_are_answered_200_and_handled_once()
    {
        var body = EventSigner.Payload("e-7");
        var answers = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (status, text) = await SendAsync(_signer.Delivery(_host.Url, body));
            Assert.Equal(HttpStatusCode.OK, status);
            answers.Add(text);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => SendAsync(_signer.Delivery(_host.Url, EventSigner.Payload("e-8")))));

        Assert.Equal(["accepted", "duplicate", "duplicate", "duplicate", "duplicate"], answers);
        Assert.All(concurrent, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Single(concurrent, answer => answer.Text == "accepted");
        await _host.UntilAsync(2);
        await Task.Delay(100);
        Assert.Equal(["e-7", "e-8"], _host.Events.Select(e => e.EventId).Order());
    }

    [Fact]
    public async Task A_replayed_body_under_a_new_event_id_header_is_still_the_same_event()
    {
        var body = EventSigner.Payload("e-9");
        await SendAsync(_signer.Delivery(_host.Url, body, eventIdHeader: "e-9"));

        var (status, text) = await SendAsync(_signer.Delivery(_host.Url, body, eventIdHeader: "fresh-id"));

        Assert.Equal((HttpStatusCode.OK, "duplicate"), (status, text));
        Assert.Single(await _host.UntilAsync(1));
    }

    [Fact]
    public async Task A_batch_delivery_is_checked_as_a_whole_and_each_event_is_handled_once()
    {
        var batch = "[" + EventSigner.Payload("b-1", "urn:ff:jobs:b1") + "," + EventSigner.Payload("b-2", "urn:ff:jobs:b2") + "]";
        var mixed = "[" + EventSigner.Payload("b-3") + "," + EventSigner.Payload("b-4", recipient: "someone-else") + "]";

        Assert.Equal((HttpStatusCode.OK, "accepted"), await SendAsync(_signer.Delivery(_host.Url, batch)));
        Assert.Equal((HttpStatusCode.OK, "duplicate"), await SendAsync(_signer.Delivery(_host.Url, batch)));
        Assert.Equal((HttpStatusCode.Forbidden, "not addressed to this client"), await SendAsync(_signer.Delivery(_host.Url, mixed)));

        var events = await _host.UntilAsync(2);
        Assert.Equal(["urn:ff:jobs:b1", "urn:ff:jobs:b2"], events.Select(e => e.JobId).Order());
    }

    [Fact]
    public async Task Malformed_deliveries_get_a_short_reason_that_echoes_nothing()
    {
        var secretish = "Bearer eyJhbGciOiJSUzI1NiJ9.secret";
        Assert.Equal((HttpStatusCode.BadRequest, "body is not JSON"), await SendAsync(_signer.Delivery(_host.Url, "{" + secretish)));
        Assert.Equal((HttpStatusCode.BadRequest, "body is not an event or a batch of events"), await SendAsync(_signer.Delivery(_host.Url, "\"" + secretish + "\"")));
        var noId = EventSigner.Payload().Replace("\"event_id\":\"e-1\",", string.Empty, StringComparison.Ordinal);
        using var noIdAtAll = _signer.Delivery(_host.Url, noId);
        noIdAtAll.Headers.Remove("x-adobe-event-id");
        Assert.Equal((HttpStatusCode.BadRequest, "no event id"), await SendAsync(noIdAtAll));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SendAsync(_signer.Delivery(_host.Url, EventSigner.Payload() + new string(' ', 5 * 1024 * 1024)))).Status);
        Assert.DoesNotContain(_host.Log.Lines, line => line.Contains("secret", StringComparison.Ordinal) || line.Contains("x-adobe-digital", StringComparison.Ordinal));
        await AssertNothingHandledAsync();
    }

    [Fact]
    public async Task The_challenge_is_answered_as_text_or_as_JSON_when_JSON_is_asked_for()
    {
        using var text = await _host.Client.GetAsync(_host.Url + "?challenge=8ec8d794-e0ab-42df-9017-e3dada8e84f7");
        using var jsonRequest = new HttpRequestMessage(HttpMethod.Get, _host.Url + "?challenge=abc%22def");
        jsonRequest.Headers.Accept.ParseAdd("application/json");
        using var json = await _host.Client.SendAsync(jsonRequest);
        using var none = await _host.Client.GetAsync(_host.Url);

        Assert.Equal(("text/plain", "8ec8d794-e0ab-42df-9017-e3dada8e84f7"), (text.Content.Headers.ContentType!.MediaType, await text.Content.ReadAsStringAsync()));
        Assert.Equal(("application/json", """{"challenge":"abc\u0022def"}"""), (json.Content.Headers.ContentType!.MediaType, await json.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
    }

    [Fact]
    public async Task Deliveries_are_answered_at_once_while_a_slow_handler_works()
    {
        _host.Hold();
        var clock = Stopwatch.StartNew();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => SendAsync(_signer.Delivery(_host.Url, EventSigner.Payload($"slow-{i}")))));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.OK, "accepted"), answer));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"Answering took {clock.Elapsed}; Adobe gives up after 10 s.");
        Assert.Empty(_host.Events);
        _host.Release();
        Assert.Equal(10, (await _host.UntilAsync(10)).Count);
    }

    [Fact]
    public async Task A_delivery_that_finds_the_queue_full_gets_503_and_its_retry_is_accepted()
    {
        await using var host = await ReceiverHost.StartAsync(_keys, o => (o.QueueCapacity, o.QueueWait, o.HandlerConcurrency) = (1, TimeSpan.Zero, 1));
        host.Hold();
        Assert.Equal((HttpStatusCode.OK, "accepted"), await SendAsync(_signer.Delivery(host.Url, EventSigner.Payload("q-1")), host));
        await Task.Delay(200);
        Assert.Equal((HttpStatusCode.OK, "accepted"), await SendAsync(_signer.Delivery(host.Url, EventSigner.Payload("q-2")), host));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "busy, retry"), await SendAsync(_signer.Delivery(host.Url, EventSigner.Payload("q-3")), host));

        host.Release();
        await host.UntilAsync(2);
        Assert.Equal((HttpStatusCode.OK, "accepted"), await SendAsync(_signer.Delivery(host.Url, EventSigner.Payload("q-3")), host));
        Assert.Equal(["q-1", "q-2", "q-3"], (await host.UntilAsync(3)).Select(e => e.EventId));
    }

    [Fact]
    public async Task A_key_that_cannot_be_fetched_now_gets_503_so_Adobe_retries()
    {
        await using var host = await ReceiverHost.StartAsync(new UnreachableKeys());

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "signing key unavailable, retry"), await SendAsync(_signer.Delivery(host.Url, EventSigner.Payload()), host));
    }

    [Fact]
    public void The_receiver_needs_a_client_id_and_is_registered_once()
    {
        var services = new ServiceCollection();
        Assert.Throws<InvalidOperationException>(() => services.AddAdobeEvents(_ => { }));
        services.AddAdobeEvents(o => o.ClientId = "c");
        Assert.Throws<InvalidOperationException>(() => services.AddAdobeEvents(o => o.ClientId = "c"));
    }

    [Fact]
    public void Generated_clients_registered_in_the_same_container_complete_their_jobs_from_the_receiver_s_events()
    {
        var services = new ServiceCollection();
        services.AddPhotoshopClient();
        services.AddAdobeEvents(o => o.ClientId = "c");

        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<IPhotoshopClient>());
        Assert.Same(provider.GetRequiredService<InProcessJobEvents>(), ConduitServices.Options(provider).JobEvents);
        Assert.Same(provider.GetRequiredService<InProcessJobEvents>(), provider.GetRequiredService<IJobEvents>());
    }

    private Task<(HttpStatusCode Status, string Text)> SendAsync(HttpRequestMessage request) => SendAsync(request, _host);

    private static async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpRequestMessage request, ReceiverHost host)
    {
        using (request)
        {
            using var response = await host.Client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task AssertNothingHandledAsync()
    {
        await Task.Delay(100);
        Assert.Empty(_host.Events);
    }

    private sealed class UnreachableKeys : IAdobeEventKeySource
    {
        public ValueTask<string?> GetPublicKeyAsync(string keyPath, System.Threading.CancellationToken cancellationToken)
            => ValueTask.FromException<string?>(new HttpRequestException("no route to host"));
    }
}

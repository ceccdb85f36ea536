using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>
/// Adobe I/O Events as the emulator plays it: the registration challenge, signed <c>photoshop-job-status</c>
/// deliveries for jobs sent with an organisation, duplicates, Adobe's retry schedule, and the journal.
/// </summary>
public sealed class EventTests : IAsyncLifetime
{
    private const string Org = "0123ABCD@AdobeOrg";
    private EventSink _sink = null!;

    public async Task InitializeAsync() => _sink = await EventSink.StartAsync();

    public async Task DisposeAsync() => await _sink.DisposeAsync();

    [Theory]
    [InlineData("text", false)]
    [InlineData("json", true)]
    public async Task A_webhook_is_registered_once_it_answers_the_challenge_in_either_form(string answer, bool json)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        _sink.Challenge = answer;

        var registration = await harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _sink.Url, JsonChallenge = json });

        Assert.Equal(_sink.Url, registration.WebhookUrl);
        Assert.Equal(harness.Emulator.Options.ApiKey, registration.ClientId);
    }

    [Fact]
    public async Task A_webhook_that_does_not_answer_the_challenge_is_not_registered()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        _sink.Challenge = "wrong";

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _sink.Url }));

        Assert.Contains("did not answer the registration challenge", e.Message);
        await StartJobAsync(harness, Org);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Task.Delay(200);
        Assert.Empty(_sink.Deliveries);
    }

    [Fact]
    public async Task A_job_sent_with_an_organisation_delivers_one_signed_event_when_it_ends()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var registration = await harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _sink.Url, ClientId = "my-client" });
        var jobId = await StartJobAsync(harness, Org);
        await StartJobAsync(harness, organization: null);

        harness.Time.Advance(TimeSpan.FromSeconds(1.4));
        await Task.Delay(100);
        Assert.Empty(_sink.Deliveries);
        harness.Time.Advance(TimeSpan.FromSeconds(0.1));

        var delivery = Assert.Single(await _sink.UntilAsync(1));
        OpenApiConformance.CheckSchema("#/components/schemas/PhotoshopJobStatusEvent", delivery.Text);
        var payload = JsonNode.Parse(delivery.Text)!;
        Assert.Equal("my-client", payload["recipient_client_id"]!.GetValue<string>());
        Assert.Equal(delivery.Header("x-adobe-event-id"), payload["event_id"]!.GetValue<string>());
        Assert.Equal("photoshop-job-status", payload["event"]!["header"]!["eventCode"]!.GetValue<string>());
        Assert.Equal(Org, payload["event"]!["header"]!["imsOrgId"]!.GetValue<string>());
        Assert.Equal(jobId, payload["event"]!["body"]!["jobId"]!.GetValue<string>());
        Assert.Equal("succeeded", payload["event"]!["body"]!["outputs"]![0]!["status"]!.GetValue<string>());
        Assert.Equal("application/json", delivery.Header("content-type"));
        for (var i = 1; i <= 2; i++)
        {
            var path = delivery.Header($"x-adobe-public-key{i}-path")!;
            Assert.Matches("^/prod/keys/pub-key-[0-9a-f-]{36}\\.pem$", path);
            using var key = RSA.Create();
            key.ImportFromPem(harness.Emulator.EventKeys[path]);
            Assert.True(key.VerifyData(delivery.Body, Convert.FromBase64String(delivery.Header($"x-adobe-digital-signature-{i}")!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        await Until(() => registration.Deliveries.Count == 1);
        var recorded = Assert.Single(registration.Deliveries);
        Assert.Equal((1, 200, false, jobId), (recorded.Attempt, recorded.Status, recorded.Duplicate, recorded.JobId));
    }

    [Fact]
    public async Task With_a_duplicate_rate_of_one_every_event_arrives_twice_the_same()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new EmulatorOptions { TimeProvider = time, EventDuplicateRate = 1 });
        await harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _sink.Url });
        await StartJobAsync(harness, Org);
        await StartJobAsync(harness, Org);

        harness.Time.Advance(TimeSpan.FromSeconds(2));

        var deliveries = await _sink.UntilAsync(4);
        Assert.All(deliveries.GroupBy(d => d.Header("x-adobe-event-id")), copies =>
        {
            Assert.Equal(2, copies.Count());
            Assert.Equal(copies.First().Text, copies.Last().Text);
            Assert.Equal(copies.First().Header("x-adobe-digital-signature-1"), copies.Last().Header("x-adobe-digital-signature-1"));
        });
    }

    [Fact]
    public async Task Failed_deliveries_are_retried_after_1_2_and_4_minutes_scaled_and_a_refusal_is_not_retried()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new EmulatorOptions { TimeProvider = time, EventRetryScale = 0.5 });
        var registration = await harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _sink.Url });
        _sink.Answer(503, 500, 429, 200, 400);
        await StartJobAsync(harness, Org);
        harness.Time.Advance(TimeSpan.FromSeconds(1.5));
        await Until(() => registration.Deliveries.Count == 1);

        foreach (var (minutes, count) in new[] { (0.5, 2), (1.0, 3), (2.0, 4) })
        {
            harness.Time.Advance(TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1));
            await Task.Delay(100);
            Assert.Equal(count - 1, _sink.Deliveries.Count);
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            await Until(() => registration.Deliveries.Count == count);
        }

        Assert.Equal([null, "1", "2", "3"], _sink.Deliveries.Select(d => d.Header("x-adobe-retry-count")));
        Assert.Single(_sink.Deliveries.Select(d => d.Header("x-adobe-event-id")).Distinct());
        Assert.Equal([503, 500, 429, 200], registration.Deliveries.Select(d => d.Status));
        var start = registration.Deliveries[0].At;
        Assert.Equal([0.0, 0.5, 1.5, 3.5], registration.Deliveries.Select(d => (d.At - start).TotalMinutes));

        await StartJobAsync(harness, Org);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await Until(() => registration.Deliveries.Count == 5);
        harness.Time.Advance(TimeSpan.FromHours(1));
        await Task.Delay(100);
        Assert.Equal(400, registration.Deliveries[^1].Status);
        Assert.Equal(5, _sink.Deliveries.Count);
    }

    [Fact]
    public async Task The_journal_pages_with_next_links_and_says_204_retry_after_at_the_end()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var registration = await harness.Emulator.RegisterEventsAsync(new EventRegistrationOptions());
        var jobs = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            jobs.Add(await StartJobAsync(harness, Org));
        }

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await Until(() => registration.JournalLength == 3);

        using var first = await harness.Client.GetAsync(registration.JournalUrl + "?limit=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var page = await EmulatorHarness.ReadJsonAsync(first);
        Assert.Equal(2, page["_page"]!["count"]!.GetValue<int>());
        var events = page["events"]!.AsArray();
        Assert.Equal(page["_page"]!["last"]!.GetValue<string>(), events[1]!["position"]!.GetValue<string>());
        Assert.All(events, e => OpenApiConformance.CheckSchema("#/components/schemas/PhotoshopJobStatusEvent", e!["event"]!.ToJsonString()));
        Assert.Null(events[0]!["event"]!["recipient_client_id"]);
        var next = Next(first);
        Assert.Contains("limit=2", next.Query, StringComparison.Ordinal);

        using var second = await harness.Client.GetAsync(next);
        var rest = (await EmulatorHarness.ReadJsonAsync(second))["events"]!.AsArray();
        Assert.Equal(jobs.Order(), events.Concat(rest).Select(e => e!["event"]!["event"]!["body"]!["jobId"]!.GetValue<string>()).Order());

        using var end = await harness.Client.GetAsync(Next(second));
        Assert.Equal(HttpStatusCode.NoContent, end.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(10), end.Headers.RetryAfter!.Delta);
        Assert.Equal(Next(second), Next(end));

        using var latest = await harness.Client.GetAsync(registration.JournalUrl + "?latest=true");
        Assert.Equal(HttpStatusCode.NoContent, latest.StatusCode);
        using var foreign = await harness.Client.GetAsync(registration.JournalUrl + "?since=elsewhere:1");
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        using var anonymous = await harness.Anonymous.GetAsync(registration.JournalUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static Uri Next(HttpResponseMessage response)
    {
        var link = Assert.Single(response.Headers.GetValues("Link"));
        Assert.EndsWith("; rel=\"next\"", link, StringComparison.Ordinal);
        return new Uri(response.RequestMessage!.RequestUri!, link[1..link.IndexOf('>', StringComparison.Ordinal)]);
    }

    private static async Task<string> StartJobAsync(EmulatorHarness harness, string? organization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/create-composite") { Content = new StringContent(Bodies.V2(), new MediaTypeHeaderValue("application/json")) };
        if (organization is not null)
        {
            request.Headers.Add("x-gw-ims-org-id", organization);
        }

        using var response = await harness.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await EmulatorHarness.ReadJsonAsync(response))["jobId"]!.GetValue<string>();
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
}

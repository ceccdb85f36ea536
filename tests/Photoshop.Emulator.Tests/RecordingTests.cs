using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>Every request is recorded as it reached the wire, with its answer; the token never is.</summary>
public sealed class RecordingTests
{
    [Fact]
    public async Task A_job_start_is_recorded_with_its_answer_and_without_the_token()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        harness.Time.Advance(TimeSpan.FromSeconds(5));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/edit?trace=1") { Content = new StringContent(Bodies.V2(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-gw-ims-org-id", "org@AdobeOrg");
        request.Headers.Add("x-request-id", "client-7");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("conduit-tests", "1.0"));
        using var response = await harness.Client.SendAsync(request);
        var jobId = (await EmulatorHarness.ReadJsonAsync(response))["jobId"]!.GetValue<string>();

        var recorded = Assert.Single(harness.Emulator.Requests);
        Assert.Equal(1, recorded.Sequence);
        Assert.Equal(TimeSpan.FromSeconds(5), recorded.At);
        Assert.Equal(("POST", "/v2/edit", "?trace=1"), (recorded.Method, recorded.Path, recorded.Query));
        Assert.Equal("application/json; charset=utf-8", recorded.ContentType);
        Assert.Equal(Bodies.V2(), recorded.Body);
        Assert.Equal((202, "photoshop", jobId), (recorded.Status, recorded.LimitGroup, recorded.JobId));
        Assert.False(recorded.OverHardLimit || recorded.FaultInjected || recorded.Slow);
        Assert.Equal(EmulatorHarness.Header(response, "x-request-id"), recorded.RequestId);
        Assert.Equal("valid", recorded.Headers["authorization"]);
        Assert.Equal("emulator-client", recorded.Headers["x-api-key"]);
        Assert.Equal("org@AdobeOrg", recorded.Headers["x-gw-ims-org-id"]);
        Assert.Equal("client-7", recorded.Headers["x-request-id"]);
        Assert.Equal("conduit-tests/1.0", recorded.Headers["user-agent"]);
        Assert.DoesNotContain(recorded.Headers.Values, value => value.Contains(harness.Emulator.Options.AccessToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_response_carries_a_request_id_and_refused_tokens_are_recorded_as_invalid()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/status/urn:ff:jobs:x") { Headers = { Authorization = new("Bearer", "secret-but-wrong") } };
        using var refused = await harness.Anonymous.SendAsync(request);
        using var anonymous = await harness.Anonymous.GetAsync("pie/psdService/status/urn:ff:jobs:x");
        using var unknown = await harness.Client.GetAsync("nowhere");

        var ids = new[] { refused, anonymous, unknown }.Select(r => EmulatorHarness.Header(r, "x-request-id")).ToArray();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(["invalid", "absent", "valid"], harness.Emulator.Requests.Select(r => r.Headers["authorization"]));
        Assert.DoesNotContain(harness.Emulator.Requests.SelectMany(r => r.Headers.Values), v => v.Contains("secret", StringComparison.Ordinal));
        Assert.Equal([1, 2, 3], harness.Emulator.Requests.Select(r => r.Sequence));
        Assert.Null(harness.Emulator.Requests[0].Body);
    }

    [Fact]
    public async Task Stats_count_by_status_and_reset_keeps_jobs_readable()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var statusUrl = await harness.StartJobAsync("v2/edit", Bodies.V2());
        using (var anonymous = await harness.Anonymous.GetAsync(statusUrl))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var stats = harness.Emulator.Stats;
        Assert.Equal((2, 1, 0), (stats.Requests, stats.JobsCreated, stats.JobsSucceeded));
        Assert.Equal([(202, 1), (401, 1)], stats.ByStatus.Select(s => (s.Key, s.Value)));
        Assert.StartsWith("requests=2 throttled=0", stats.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("status 202x1 401x1", stats.ToString(), StringComparison.Ordinal);

        harness.Emulator.ResetRecords();
        Assert.Empty(harness.Emulator.Requests);
        Assert.Equal(new EmulatorStats().ToString(), harness.Emulator.Stats.ToString());

        harness.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("succeeded", (await harness.ReadStatusAsync(statusUrl)).Body["status"]!.GetValue<string>());
        Assert.Equal(3, Assert.Single(harness.Emulator.Requests).Sequence);
    }

    [Fact]
    public async Task Only_the_newest_requests_are_kept_beyond_the_record_limit()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, RecordLimit = 2 });
        for (var i = 0; i < 5; i++)
        {
            using var response = await harness.Client.GetAsync("v2/status/urn:ff:jobs:x");
        }

        Assert.Equal([4, 5], harness.Emulator.Requests.Select(r => r.Sequence));
        Assert.Equal(5, harness.Emulator.Stats.Requests);
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>
/// Hard limits per (group, method) over a sliding window: the request beyond the limit is 429 with
/// <c>Retry-After</c> until the oldest counted request leaves the window. The clock is fake: nothing sleeps.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task The_seventeenth_photoshop_POST_within_3_seconds_is_429_and_accepted_again_after_the_window()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        Assert.All(await PostManyAsync(harness, "v2/edit", 16), status => Assert.Equal(HttpStatusCode.Accepted, status));

        using (var throttled = await harness.PostAsync("v2/edit", Bodies.V2()))
        {
            Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
            Assert.Equal("3", EmulatorHarness.Header(throttled, "Retry-After"));
            Assert.Equal("photoshop:POST", EmulatorHarness.Header(throttled, "X-Access-Rate-Limit-Level"));
            Assert.Equal("rate_limited", (await EmulatorHarness.ReadJsonAsync(throttled))["error_code"]!.GetValue<string>());
        }

        harness.Time.Advance(TimeSpan.FromSeconds(1.2));
        using (var stillThrottled = await harness.PostAsync("v2/edit", Bodies.V2()))
        {
            Assert.Equal((HttpStatusCode)429, stillThrottled.StatusCode);
            Assert.Equal("2", EmulatorHarness.Header(stillThrottled, "Retry-After"));
        }

        harness.Time.Advance(TimeSpan.FromSeconds(1.8));
        using var accepted = await harness.PostAsync("v2/edit", Bodies.V2());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        var stats = harness.Emulator.Stats;
        Assert.Equal((2, 2, 17), (stats.Throttled, stats.OverHardLimit, stats.JobsCreated));
        Assert.Equal([false, false, true, true, false], harness.Emulator.Requests.Skip(14).Select(r => r.OverHardLimit));
    }

    [Fact]
    public async Task The_window_slides_refused_requests_do_not_count_and_v1_shares_the_photoshop_group()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        await PostManyAsync(harness, "v2/create-composite", 8);
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        await PostManyAsync(harness, "pie/psdService/text", 8, Bodies.V1());
        Assert.Equal([(HttpStatusCode)429, (HttpStatusCode)429], await PostManyAsync(harness, "v2/edit", 2));

        // At 3 s the first eight leave the window; the eight from 2 s stay until 5 s.
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.All(await PostManyAsync(harness, "pie/psdService/text", 8, Bodies.V1()), s => Assert.Equal(HttpStatusCode.Accepted, s));
        using var throttled = await harness.PostAsync("pie/psdService/text", Bodies.V1());
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.Equal("2", EmulatorHarness.Header(throttled, "Retry-After"));
        Assert.Equal("RateLimitedError", (await EmulatorHarness.ReadJsonAsync(throttled))["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Remove_background_has_its_own_limits_per_method()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var statuses = await PostManyAsync(harness, "v2/remove-background", 4, Bodies.ForV2("/v2/remove-background"));
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted, (HttpStatusCode)429], statuses);

        // Photoshop POSTs and Remove Background GETs are other windows.
        using var edit = await harness.PostAsync("v2/edit", Bodies.V2());
        Assert.Equal(HttpStatusCode.Accepted, edit.StatusCode);
        var jobId = harness.Emulator.Requests[0].JobId;
        using var status = await harness.Client.GetAsync($"status/{jobId}");
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal(["remove-background", "remove-background", "remove-background", "remove-background", "photoshop", "remove-background"],
            harness.Emulator.Requests.Select(r => r.LimitGroup));
    }

    [Fact]
    public async Task Limits_are_configurable_and_count_requests_refused_for_their_credentials()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new()
        {
            TimeProvider = time,
            HardLimits = new Dictionary<(string Group, string Method), int> { [("photoshop", "GET")] = 2 },
        });
        using var anonymous = await harness.Anonymous.GetAsync("v2/status/urn:ff:jobs:x");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var unknown = await harness.Client.GetAsync("v2/status/urn:ff:jobs:x");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var throttled = await harness.Client.GetAsync("v2/status/urn:ff:jobs:x");
        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);

        // A group and method without a limit is not limited.
        Assert.All(await PostManyAsync(harness, "v2/edit", 20), s => Assert.Equal(HttpStatusCode.Accepted, s));
    }

    private static async Task<HttpStatusCode[]> PostManyAsync(EmulatorHarness harness, string path, int count, string? body = null)
    {
        var statuses = new HttpStatusCode[count];
        for (var i = 0; i < count; i++)
        {
            using var response = await harness.PostAsync(path, body ?? Bodies.V2());
            statuses[i] = response.StatusCode;
        }

        return statuses;
    }
}

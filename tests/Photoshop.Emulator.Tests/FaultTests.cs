using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>Injected faults and slow responses: decided by the seed and the arrival number, never a 4xx.</summary>
public sealed class FaultTests
{
    private static readonly int[] FaultStatuses = [500, 502, 503, 504];

    [Fact]
    public async Task The_same_seed_gives_the_same_statuses_and_another_seed_others()
    {
        var first = await StatusesAsync(seed: 7, faultRate: 0.3);

        Assert.Equal(first, await StatusesAsync(seed: 7, faultRate: 0.3));
        Assert.NotEqual(first, await StatusesAsync(seed: 8, faultRate: 0.3));
        Assert.InRange(first.Count(FaultStatuses.Contains), 6, 30);
    }

    [Fact]
    public async Task A_fault_comes_before_everything_else_so_it_is_never_a_4xx_and_starts_no_job()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, FaultRate = 1, Seed = 3 });
        for (var i = 0; i < 24; i++)
        {
            // No credentials, a bad body, beyond the remove-background limit, unknown routes: still only faults.
            using var response = i % 3 == 0
                ? await harness.PostAsync("v2/remove-background", "{}", harness.Anonymous)
                : i % 3 == 1 ? await harness.Client.GetAsync("v2/nothing") : await harness.PostAsync("pie/psdService/text", Bodies.V1());
            Assert.Contains((int)response.StatusCode, FaultStatuses);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout)
            {
                Assert.Empty(body);
            }
            else
            {
                Assert.Contains(i % 3 == 2 ? "\"type\"" : "\"error_code\"", body, StringComparison.Ordinal);
            }
        }

        var stats = harness.Emulator.Stats;
        Assert.Equal((24, 24, 0, 0), (stats.Requests, stats.Faults, stats.JobsCreated, stats.Throttled));
        Assert.Equal(FaultStatuses, stats.ByStatus.Keys.Order());
        Assert.All(harness.Emulator.Requests, r => Assert.True(r.FaultInjected));
    }

    [Fact]
    public async Task The_number_of_faults_over_a_run_is_the_stats_count_and_every_other_request_is_handled()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, FaultRate = 0.5, Seed = 42 });
        var statuses = await SendAsync(harness, 30);

        var stats = harness.Emulator.Stats;
        Assert.Equal(statuses.Count(FaultStatuses.Contains), stats.Faults);
        Assert.Equal(statuses.Count(s => s == 202), stats.JobsCreated);
        Assert.Equal(statuses.Count(FaultStatuses.Contains), harness.Emulator.Requests.Count(r => r.FaultInjected));
    }

    [Fact]
    public async Task A_slow_response_waits_for_the_clock()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, SlowRate = 1, SlowDelay = TimeSpan.FromSeconds(2) });
        var pending = harness.PostAsync("v2/edit", Bodies.V2());

        await Task.Delay(300);
        Assert.False(pending.IsCompleted);
        // The delay starts when the request arrives, which a busy machine may postpone: advance until it ends.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!pending.IsCompleted && DateTime.UtcNow < deadline)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(20);
        }

        using var response = await pending;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(Assert.Single(harness.Emulator.Requests).Slow);
        Assert.Equal(1, harness.Emulator.Stats.SlowResponses);
    }

    private static async Task<int[]> StatusesAsync(int seed, double faultRate)
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, FaultRate = faultRate, Seed = seed });
        var statuses = await SendAsync(harness, 40);

        // A fault is always a 5xx and every 5xx is a fault (a status read before any job started is a real 404).
        Assert.All(harness.Emulator.Requests, r => Assert.Equal(r.FaultInjected, FaultStatuses.Contains(r.Status)));
        return statuses;
    }

    /// <summary>Alternates job starts and status reads, one at a time, so arrival numbers follow the loop.</summary>
    private static async Task<int[]> SendAsync(EmulatorHarness harness, int count)
    {
        var statuses = new int[count];
        for (var i = 0; i < count; i++)
        {
            using var response = i % 2 == 0
                ? await harness.PostAsync("v2/edit", Bodies.V2())
                : await harness.Client.GetAsync($"v2/status/{harness.Emulator.Requests.LastOrDefault(r => r.JobId is not null)?.JobId ?? "urn:ff:jobs:none"}");
            statuses[i] = (int)response.StatusCode;
            harness.Time.Advance(TimeSpan.FromSeconds(1));
        }

        return statuses;
    }
}

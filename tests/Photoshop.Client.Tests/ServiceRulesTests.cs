using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Conduit;
using Conduit.Jobs;
using Conduit.Policies;
using Photoshop.Client.Tests.PhotoshopModels;
using Photoshop.Emulator;

namespace Photoshop.Client.Tests;

/// <summary>
/// The proof that the generated client keeps Adobe's usage rules by construction: what the emulator
/// records is what reached the wire.
/// </summary>
public sealed class ServiceRulesTests
{
    [Fact]
    public async Task Every_job_completes_when_30_percent_of_responses_are_5xx()
    {
        // One caller, so the emulator's seeded faults fall on the same requests in every run.
        await using var run = await EmulatorRun.StartAsync(time => new EmulatorOptions { TimeProvider = time, FaultRate = 0.3, Seed = 7 });
        var client = run.Client;
        var outcomes = new List<string>();

        for (var i = 0; i < 4; i++)
        {
            var cutout = await run.RunAsync(client.RemoveBackgroundAsync(Cutout(i)));
            outcomes.Add((await run.RunAsync(cutout.WaitForCompletionAsync())).Status.Value);
            var composite = await run.RunAsync(client.CreateCompositeAsync(Composite(i)));
            outcomes.Add((await run.RunAsync(composite.WaitForCompletionAsync())).Status.Value);
            var rendition = await run.RunAsync(client.PsdServiceRenditionCreateAsync(Rendition(i)));
            var v1 = await run.RunAsync(rendition.WaitForCompletionAsync());
            outcomes.Add(v1.Outputs.All(o => o.Status == PsdServiceOutputState.Succeeded) ? "succeeded" : "failed");
        }

        Assert.Equal(Enumerable.Repeat("succeeded", 12), outcomes);
        var records = run.Emulator.Requests;
        var faults = records.Count(r => r.FaultInjected);
        Assert.True(faults >= 0.2 * records.Count, $"Only {faults} of {records.Count} responses were faults.");
        Assert.All(records, r => Assert.True(r.Status < 400 || r.Status >= 500, $"{r.Method} {r.Path} answered {r.Status}."));
        Assert.Equal(12, run.Emulator.Stats.JobsCreated);
    }

    [Fact]
    public async Task No_4xx_is_ever_retried()
    {
        await using var run = await EmulatorRun.StartAsync();
        var client = run.Client;
        var cases = new (int Status, Func<Task> Call)[]
        {
            (400, () => client.PsdServiceRenditionCreateAsync(Rendition(1, inputs: 2))),
            (404, () => client.GetJobStatusAsync("urn:ff:jobs:no-such-job")),
            (401, () => Anonymous(run).GetJobStatusAsync("urn:ff:jobs:any")),
            (403, () => WrongKey(run).RemoveBackgroundAsync(Cutout(1))),
            (410, () => client.PsdServiceRenditionCreateAsync(Rendition(1, input: "https://bucket.s3.amazonaws.com/expired/in.psd"))),
        };

        foreach (var (status, call) in cases)
        {
            var before = run.Emulator.Requests.Count;
            var task = call();
            await run.DriveAsync(task);
            var e = await Assert.ThrowsAnyAsync<ApiException>(() => task);

            Assert.Equal(status, (int)e.StatusCode!);
            Assert.Equal(before + 1, run.Emulator.Requests.Count);
        }
    }

    [Fact]
    public async Task A_429_is_not_retried_and_holds_later_calls_until_Retry_After()
    {
        // An emulator whose limit is below the document's soft limit stands for someone else using the credentials.
        await using var run = await EmulatorRun.StartAsync(time => new EmulatorOptions
        {
            TimeProvider = time,
            HardLimits = new Dictionary<(string, string), int> { [("photoshop", "POST")] = 3, [("photoshop", "GET")] = 310, [("remove-background", "POST")] = 3, [("remove-background", "GET")] = 1000 },
        });
        for (var i = 0; i < 3; i++)
        {
            await run.RunAsync(run.Client.CreateCompositeAsync(Composite(i)));
        }

        var refused = run.Client.CreateCompositeAsync(Composite(3));
        await run.DriveAsync(refused);
        var e = await Assert.ThrowsAsync<ApiException<ApiError>>(() => refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);
        Assert.Equal(4, run.Emulator.Requests.Count);
        var retryAfter = TimeSpan.FromSeconds(int.Parse(e.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture));

        var next = await run.RunAsync(run.Client.CreateCompositeAsync(Composite(4)));

        Assert.NotNull(next.JobId);
        var (throttled, sent) = (run.Emulator.Requests[^2], run.Emulator.Requests[^1]);
        Assert.Equal((429, 202), (throttled.Status, sent.Status));
        Assert.True(sent.At - throttled.At >= retryAfter, $"The next call went out {(sent.At - throttled.At).TotalSeconds:0.000} s after the 429, before Retry-After ({retryAfter.TotalSeconds} s) had passed.");
        Assert.Equal(1, run.Emulator.Stats.Throttled);
    }

    [Fact]
    public async Task Fifty_concurrent_callers_never_go_over_a_hard_limit_and_never_see_a_429()
    {
        await using var run = await EmulatorRun.StartAsync();
        var client = run.Client;

        async Task<string> Caller(int i)
        {
            var job = i % 5 == 0
                ? await client.RemoveBackgroundAsync(Cutout(i))
                : await client.CreateCompositeAsync(Composite(i));
            return (await job.WaitForCompletionAsync()).Status.Value;
        }

        var all = Task.WhenAll(Enumerable.Range(0, 50).Select(Caller));
        var results = await run.RunAsync(all);

        Assert.All(results, status => Assert.Equal("succeeded", status));
        Assert.Equal(0, run.Emulator.Stats.OverHardLimit);
        Assert.Equal(0, run.Emulator.Stats.Throttled);
        AssertNoWindowOver(run.Emulator.Requests.Where(r => r.Method == "POST" && r.LimitGroup == "photoshop"), 15);
        AssertNoWindowOver(run.Emulator.Requests.Where(r => r.Method == "POST" && r.LimitGroup == "remove-background"), 2);
    }

    [Fact]
    public async Task Fifty_callers_polling_in_real_time_stay_under_the_GET_limit()
    {
        // Real clock, real latency: 600 status reads against 300 per 3 s must take a second window.
        await using var emulator = await PhotoshopEmulator.StartAsync();
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        http.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);
        var client = new PhotoshopClient(http, new ConduitClientOptions { RateLimiters = new InProcessRateLimiterProvider() });
        var job = await client.CreateCompositeAsync(Composite(0));
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            for (var i = 0; i < 12; i++)
            {
                await client.GetJobStatusAsync(job.JobId);
            }
        }));

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(3), $"600 reads took {clock.Elapsed.TotalSeconds:0.00} s: the 300 per 3 s limit was not applied.");
        Assert.Equal(0, emulator.Stats.OverHardLimit);
        Assert.Equal(0, emulator.Stats.Throttled);
        AssertNoWindowOver(emulator.Requests.Where(r => r.Method == "GET"), 300);
    }

    /// <summary>No interval of 3 s holds more than <paramref name="limit"/> of the requests.</summary>
    private static void AssertNoWindowOver(IEnumerable<RecordedRequest> requests, int limit)
    {
        var times = requests.Select(r => r.At).OrderBy(t => t).ToList();
        for (var i = limit; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - limit] >= TimeSpan.FromSeconds(3), $"Requests {i - limit} and {i} arrived {(times[i] - times[i - limit]).TotalSeconds:0.000} s apart: {limit + 1} in one window.");
        }
    }

    private static PhotoshopClient Anonymous(EmulatorRun run)
        => new(new HttpClient { BaseAddress = run.Emulator.BaseAddress }, new ConduitClientOptions { TimeProvider = run.Time, RateLimiters = new InProcessRateLimiterProvider(run.Time) });

    private static PhotoshopClient WrongKey(EmulatorRun run)
    {
        var http = new HttpClient { BaseAddress = run.Emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", run.Emulator.Options.AccessToken);
        http.DefaultRequestHeaders.Add("x-api-key", "someone-else");
        return new(http, new ConduitClientOptions { TimeProvider = run.Time, RateLimiters = new InProcessRateLimiterProvider(run.Time) });
    }

    private static RemoveBackgroundRequest Cutout(int i) => new()
    {
        Image = new ImageInput { Source = new FileSource { Url = new Uri($"https://bucket.s3.amazonaws.com/in/photo-{i}.jpg") } },
        Mode = RemoveBackgroundRequestMode.Cutout,
    };

    private static CreateCompositeRequest Composite(int i) => new()
    {
        Image = new ImageInput { Source = new FileSource { Url = new Uri($"https://bucket.s3.amazonaws.com/in/cutout-{i}.png") } },
        Outputs =
        [
            new ImageOutput { Destination = new FileDestination { Url = new Uri($"https://bucket.s3.amazonaws.com/out/composite-{i}.png") }, MediaType = ImageMediaType.ImagePng },
        ],
    };

    private static PsdServiceRequest Rendition(int i, int inputs = 1, string? input = null) => new()
    {
        Inputs = Enumerable.Range(0, inputs).Select(n => new PsdServiceInput { Href = new Uri(input ?? $"https://bucket.s3.amazonaws.com/in/design-{i}-{n}.psd"), Storage = PsdServiceStorage.External }).ToList(),
        Outputs = [new PsdServiceOutput { Href = new Uri($"https://bucket.s3.amazonaws.com/out/design-{i}.png"), Storage = PsdServiceStorage.External, Type = "image/png" }],
    };
}

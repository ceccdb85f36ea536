using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Photoshop.Emulator;
using Xunit.Abstractions;

namespace Conduit.Redis.Tests;

/// <summary>
/// The proof: worker processes (tests/Conduit.Redis.Worker, started with <c>dotnet &lt;dll&gt;</c>), each
/// with concurrent callers of the generated Photoshop client, share the service's limits through Redis against
/// one emulator on loopback, which counts every request by its arrival.
/// </summary>
public sealed class MultiProcessTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    private const int PostSoft = 15;
    private const int PostHard = 16;
    private const int GetSoft = 300;
    private const int GetHard = 310;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Four_processes_of_25_callers_for_30_s_never_exceed_a_hard_limit_never_see_a_429_and_reach_90_percent_of_the_soft_limit()
    {
        await using var emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { RecordLimit = 100_000 });
        var seconds = 30;

        // Fail-fast, with a Redis timeout long enough for a loaded CI machine: any Redis trouble fails the run.
        var results = await RunWorkersAsync(emulator, redis.Server, processes: 4, callers: 25, seconds, "FailFast", share: 0.25, timeout: 5);

        var records = emulator.Requests;
        var stats = emulator.Stats;
        output.WriteLine(stats.ToString());
        Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.Started == r.Completed && r.Started > 0, r.Describe()));
        Assert.Equal(0, stats.OverHardLimit);
        Assert.Equal(0, stats.Throttled);
        var posts = records.Where(r => r.Method == "POST" && r.LimitGroup == "photoshop").Select(r => r.At).Order().ToList();
        var gets = records.Where(r => r.Method == "GET" && r.LimitGroup == "photoshop").Select(r => r.At).Order().ToList();
        AssertNoWindowOver(posts, PostHard, "POST");
        AssertNoWindowOver(gets, GetHard, "GET");

        // Throughput from the first request of the run (after the set-up job, request 1) to its deadline.
        var run = records.Where(r => r.Sequence > 1 && r.LimitGroup == "photoshop").ToList();
        var start = run.Min(r => r.At);
        var end = start + TimeSpan.FromSeconds(seconds);
        var reached = new[]
        {
            Reached([.. run.Where(r => r.Method == "POST").Select(r => r.At)], start, end, PostSoft, "POST"),
            Reached([.. run.Where(r => r.Method == "GET").Select(r => r.At)], start, end, GetSoft, "GET"),
        };
        Assert.All(reached, r => Assert.True(r.Share >= 0.9, r.Description));
    }

    [Fact]
    public async Task Killing_Redis_mid_run_with_the_local_share_fallback_loses_no_job_and_keeps_under_the_hard_limit()
    {
        await using var server = await RedisServer.StartAsync();
        var started = DateTimeOffset.UtcNow;
        await using var emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { RecordLimit = 100_000 });
        TimeSpan? killedAt = null;

        var results = await RunWorkersAsync(emulator, server, processes: 2, callers: 10, seconds: 20, "FallBackToLocalShare", share: 0.5, jobEvery: 2, whileRunning: async startAt =>
        {
            await Task.Delay(startAt + TimeSpan.FromSeconds(5) - DateTimeOffset.UtcNow);
            server.Kill();
            killedAt = DateTimeOffset.UtcNow - started;
        });

        var records = emulator.Requests;
        var stats = emulator.Stats;
        output.WriteLine($"{stats}; Redis killed {killedAt?.TotalSeconds:0.0} s after the emulator started");
        Assert.All(results, r => Assert.True(r.ExitCode == 0 && r.Started == r.Completed && r.Errors.Count == 0, r.Describe()));
        Assert.Equal(stats.JobsCreated - 1, results.Sum(r => r.Started)); // Every job the emulator made but the set-up one was seen started.
        Assert.Equal(0, stats.OverHardLimit);
        Assert.Equal(0, stats.Throttled);
        var afterKill = records.Count(r => r.Method == "POST" && r.At > killedAt!.Value + TimeSpan.FromSeconds(4));
        Assert.True(afterKill > 0, "No job was started on the local share after Redis was killed.");
    }

    /// <summary>Every interval of one window holds at most <paramref name="limit"/> of the arrivals.</summary>
    private static void AssertNoWindowOver(List<TimeSpan> arrivals, int limit, string what)
    {
        for (var i = limit; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - limit] >= Window, $"{what} requests {i - limit} and {i} arrived {(arrivals[i] - arrivals[i - limit]).TotalSeconds:0.000} s apart: {limit + 1} in one window.");
        }
    }

    /// <summary>The share of <paramref name="soft"/> per window that arrived between <paramref name="from"/> and <paramref name="to"/>.</summary>
    private (double Share, string Description) Reached(List<TimeSpan> arrivals, TimeSpan from, TimeSpan to, int soft, string what)
    {
        var count = arrivals.Count(t => t >= from && t < to);
        var ideal = soft * (to - from) / Window;
        var description = string.Create(CultureInfo.InvariantCulture, $"{what}: {count} requests in {(to - from).TotalSeconds:0.0} s, {100 * count / ideal:0.0} % of the soft limit's {ideal:0} (at least 90 % expected)");
        output.WriteLine(description);
        return (count / ideal, description);
    }

    private async Task<WorkerResult[]> RunWorkersAsync(PhotoshopEmulator emulator, RedisServer server, int processes, int callers, int seconds, string behavior, double share, double timeout = 1, int jobEvery = 3, Func<DateTimeOffset, Task>? whileRunning = null)
    {
        var worker = WorkerPath();
        var prefix = "mp-" + Guid.NewGuid().ToString("N");
        var jobId = await StartJobAsync(emulator);

        // The processes start their callers together, once each has had time to start and connect.
        var startAt = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(4);
        var runs = Enumerable.Range(0, processes).Select(_ => RunWorkerAsync(worker,
        [
            "--emulator", emulator.BaseAddress.ToString(), "--token", emulator.Options.AccessToken, "--api-key", emulator.Options.ApiKey,
            "--redis", server.Configuration, "--prefix", prefix, "--behavior", behavior, "--share", share.ToString(CultureInfo.InvariantCulture),
            "--callers", callers.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture),
            "--timeout-s", timeout.ToString(CultureInfo.InvariantCulture), "--job-id", jobId, "--job-every", jobEvery.ToString(CultureInfo.InvariantCulture),
            "--start-at", startAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        ])).ToList();
        if (whileRunning is not null)
        {
            await whileRunning(startAt);
        }

        var results = await Task.WhenAll(runs);
        foreach (var result in results)
        {
            output.WriteLine(result.Describe());
        }

        return results;
    }

    /// <summary>
    /// Starts the job whose status the workers' readers poll, directly (no client limiter) and long enough
    /// before the run that it is out of every window the run is measured in.
    /// </summary>
    private static async Task<string> StartJobAsync(PhotoshopEmulator emulator)
    {
        using var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        http.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);
        const string Body = """{"image":{"source":{"url":"https://bucket.s3.amazonaws.com/in/cutout.png"}},"outputs":[{"destination":{"url":"https://bucket.s3.amazonaws.com/out/composite.png"},"mediaType":"image/png"}]}""";
        using var response = await http.PostAsync("v2/create-composite", new StringContent(Body, Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The emulator refused the set-up job: {(int)response.StatusCode} {answer}");
        return (string)JsonNode.Parse(answer)!["jobId"]!;
    }

    private static async Task<WorkerResult> RunWorkerAsync(string worker, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(worker);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = ProcessPipes.ReadToEndAsync(process.StandardOutput);
        var stderr = ProcessPipes.ReadToEndAsync(process.StandardError);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new WorkerResult(-1, await stdout, "the worker did not end within 2 minutes: killed" + Environment.NewLine + await stderr);
        }

        return new WorkerResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The worker's build output beside this project's: same configuration, same target framework.</summary>
    private static string WorkerPath()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (here.Name, here.Parent!.Name);
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Conduit.Redis.Worker", "bin", configuration, framework, "Conduit.Redis.Worker.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The worker was not built at {path}; build tests/Conduit.Redis.Tests (it references the worker).", path);
    }

    private sealed record WorkerResult(int ExitCode, string StandardOutput, string StandardError)
    {
        private JsonObject? Summary => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{')) is { } line
            ? JsonNode.Parse(line) as JsonObject
            : null;

        public int Started => (int?)Summary?["started"] ?? -1;

        public int Completed => (int?)Summary?["completed"] ?? -1;

        public IReadOnlyList<string> Errors => Summary?["errors"]?.AsArray().Select(e => (string)e!).ToList() ?? ["no summary"];

        public string Describe() => new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"worker exit {ExitCode}: {StandardOutput.Trim()}")
            .Append(StandardError.Length > 0 ? Environment.NewLine + "stderr: " + StandardError.Trim() : "")
            .ToString();
    }
}

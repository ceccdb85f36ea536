using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Conduit;
using Conduit.Jobs;
using Conduit.Redis;
using Conduit.Redis.Worker.PhotoshopModels;

namespace Conduit.Redis.Worker;

/// <summary>The client Conduit generates from our Photoshop document.</summary>
[OpenApiClient("openapi/photoshop.json")]
public partial class PhotoshopClient;

/// <summary>
/// One worker: <c>--callers</c> concurrent callers of the generated client against the emulator for
/// <c>--seconds</c>, their limits shared through Redis. One caller in <c>--job-every</c> (3) starts jobs (POST)
/// and waits for each to complete; the others read the status of the job <c>--job-id</c> (GET) as fast as the
/// limit allows. Calls start until the
/// deadline; every started job is then awaited to its end. Prints one JSON line:
/// <c>{"started":..,"completed":..,"posts":..,"gets":..,"redisOutages":..,"errors":[..]}</c>; exits 1 when anything failed.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var arguments = Arguments(args);
        var behavior = Enum.Parse<RedisUnavailableBehavior>(arguments["behavior"], ignoreCase: true);
        using var provider = new RedisRateLimiterProvider(new RedisRateLimitOptions
        {
            Configuration = arguments["redis"],
            KeyPrefix = arguments["prefix"],
            WhenUnavailable = behavior,
            LocalShare = double.Parse(arguments.GetValueOrDefault("share", "0.25"), CultureInfo.InvariantCulture),
            RetryInterval = TimeSpan.FromSeconds(2),
            OperationTimeout = TimeSpan.FromSeconds(double.Parse(arguments.GetValueOrDefault("timeout-s", "1"), CultureInfo.InvariantCulture)),

            // Loopback: a request reaches the emulator well within this; slower ones are counted again at their answer.
            SendAllowance = TimeSpan.FromMilliseconds(150),
        });

        using var http = new HttpClient { BaseAddress = new Uri(arguments["emulator"]) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", arguments["token"]);
        http.DefaultRequestHeaders.Add("x-api-key", arguments["api-key"]);
        var client = new PhotoshopClient(http, new ConduitClientOptions
        {
            RateLimiters = provider,
            Jobs = new JobPollingOptions { FirstDelay = TimeSpan.FromSeconds(0.5), MaxDelay = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMinutes(2) },
        });

        var callers = int.Parse(arguments["callers"], CultureInfo.InvariantCulture);
        var startAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(arguments["start-at"], CultureInfo.InvariantCulture));
        var deadline = startAt + TimeSpan.FromSeconds(double.Parse(arguments["seconds"], CultureInfo.InvariantCulture));
        var run = new Run(client, deadline, provider, arguments["job-id"]);
        var jobEvery = int.Parse(arguments.GetValueOrDefault("job-every", "3"), CultureInfo.InvariantCulture);
        var wait = startAt - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(() => i % jobEvery == 0 ? run.StartJobsAsync(i) : run.ReadStatusAsync())));
        Console.WriteLine(run.Summary().ToJsonString());
        return run.Errors.IsEmpty && run.Started == run.Completed ? 0 : 1;
    }

    private static Dictionary<string, string> Arguments(string[] args)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            map[args[i].TrimStart('-')] = args[i + 1];
        }

        return map;
    }

    private sealed class Run(PhotoshopClient client, DateTimeOffset deadline, RedisRateLimiterProvider provider, string jobId)
    {
        private int _started;
        private int _completed;
        private int _posts;
        private int _gets;

        public ConcurrentQueue<string> Errors { get; } = new();

        public int Started => Volatile.Read(ref _started);

        public int Completed => Volatile.Read(ref _completed);

        private bool Open => DateTimeOffset.UtcNow < deadline;

        public async Task StartJobsAsync(int caller)
        {
            for (var n = 0; Open; n++)
            {
                try
                {
                    Interlocked.Increment(ref _posts);
                    var job = await client.CreateCompositeAsync(Composite(caller, n));
                    Interlocked.Increment(ref _started);
                    var done = await job.WaitForCompletionAsync();
                    if (done.Status.Value == "succeeded")
                    {
                        Interlocked.Increment(ref _completed);
                    }
                    else
                    {
                        Errors.Enqueue($"job {job.JobId} ended {done.Status.Value}");
                    }
                }
                catch (Exception e)
                {
                    Errors.Enqueue($"{e.GetType().Name}: {e.Message}");
                    return;
                }
            }
        }

        public async Task ReadStatusAsync()
        {
            while (Open)
            {
                try
                {
                    Interlocked.Increment(ref _gets);
                    await client.GetJobStatusAsync(jobId);
                }
                catch (Exception e)
                {
                    Errors.Enqueue($"{e.GetType().Name}: {e.Message}");
                    return;
                }
            }
        }

        public JsonObject Summary() => new()
        {
            ["started"] = Started,
            ["completed"] = Completed,
            ["posts"] = Volatile.Read(ref _posts),
            ["gets"] = Volatile.Read(ref _gets),
            ["redisOutages"] = provider.Health.Outages,
            ["recounts"] = Volatile.Read(ref provider.Recounts),
            ["errors"] = new JsonArray([.. Errors.Distinct().Take(20).Select(e => (JsonNode?)JsonValue.Create(e))]),
        };

        private static CreateCompositeRequest Composite(int caller, int n) => new()
        {
            Image = new ImageInput { Source = new FileSource { Url = new Uri($"https://bucket.s3.amazonaws.com/in/cutout-{caller}-{n}.png") } },
            Outputs =
            [
                new ImageOutput { Destination = new FileDestination { Url = new Uri($"https://bucket.s3.amazonaws.com/out/composite-{caller}-{n}.png") }, MediaType = ImageMediaType.ImagePng },
            ],
        };
    }
}

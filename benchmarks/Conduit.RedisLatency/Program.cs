using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Policies;
using Conduit.Redis;

// Added latency per acquisition, Conduit.Redis against the in-process limiter: the same acquire-and-release
// loop on each, in alternating rounds so that a loaded machine slows both alike. Limits are far above the load,
// so no caller ever waits for a permit: what is measured is the cost of asking.
//
//   dotnet run -c Release --project benchmarks/Conduit.RedisLatency [-- --rounds 5 --calls 5000 --callers 16 --redis host:port]
var arguments = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal) && p.i + 1 < args.Length)
    .ToDictionary(p => p.a[2..], p => args[p.i + 1], StringComparer.Ordinal);
var rounds = int.Parse(arguments.GetValueOrDefault("rounds", "5"), CultureInfo.InvariantCulture);
var calls = int.Parse(arguments.GetValueOrDefault("calls", "5000"), CultureInfo.InvariantCulture);
var callers = int.Parse(arguments.GetValueOrDefault("callers", "16"), CultureInfo.InvariantCulture);

using var server = arguments.TryGetValue("redis", out var given) ? null : LoopbackRedis.Start();
var configuration = given ?? server!.Configuration;
var key = new RateLimitKey("bench", "photoshop", "POST");
var size = new RateLimitSettings(1_000_000, TimeSpan.FromSeconds(3), 1_000_000, TimeSpan.Zero, 100_000);
using var provider = new RedisRateLimiterProvider(new RedisRateLimitOptions
{
    Configuration = configuration,
    KeyPrefix = "bench-" + Guid.NewGuid().ToString("N"),
    WhenUnavailable = RedisUnavailableBehavior.FailFast,
});
var redis = provider.GetLimiter(key, size);
var local = new InProcessRateLimiterProvider().GetLimiter(key, size);

Console.WriteLine($"redis-server at {configuration}; {rounds} rounds of {calls:N0} acquisitions, one caller, then {callers} callers; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
await MeasureAsync(local, 1, calls); // Warm-up: JIT, connection, script load.
await MeasureAsync(redis, 1, calls);

var results = new Dictionary<string, List<Sample>>(StringComparer.Ordinal);
for (var round = 0; round < rounds; round++)
{
    foreach (var (name, limiter, concurrency) in new[] { ("in-process, 1 caller", local, 1), ("redis, 1 caller", redis, 1), ($"in-process, {callers} callers", local, callers), ($"redis, {callers} callers", redis, callers) })
    {
        var sample = await MeasureAsync(limiter, concurrency, calls);
        (results.TryGetValue(name, out var list) ? list : results[name] = []).Add(sample);
    }
}

Console.WriteLine();
Console.WriteLine("| limiter | mean µs | p50 µs | p99 µs | acquisitions/s |");
Console.WriteLine("|---|---:|---:|---:|---:|");
foreach (var (name, samples) in results)
{
    var all = samples.SelectMany(s => s.Micros).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Median(samples.Select(s => s.Micros.Average())):0.00} | {all[all.Length / 2]:0.00} | {all[(int)(all.Length * 0.99)]:0.00} | {Median(samples.Select(s => s.PerSecond)):N0} |"));
}

Console.WriteLine();
var single = Median(results["redis, 1 caller"].Select(s => s.Micros.Average())) - Median(results["in-process, 1 caller"].Select(s => s.Micros.Average()));
var ratio = Median(results["redis, 1 caller"].Select(s => s.Micros.Average())) / Median(results["in-process, 1 caller"].Select(s => s.Micros.Average()));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"added per acquisition (one caller, medians of round means): {single:0.0} µs; redis / in-process = {ratio:0}x"));
return 0;

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static async Task<Sample> MeasureAsync(RateLimiter limiter, int concurrency, int calls)
{
    var micros = new double[calls];
    var next = -1;
    var total = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        for (var i = Interlocked.Increment(ref next); i < calls; i = Interlocked.Increment(ref next))
        {
            var started = Stopwatch.GetTimestamp();
            using var lease = await limiter.AcquireAsync();
            micros[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException("A permit was refused: the benchmark's limit is too low.");
            }
        }
    })));
    return new Sample(micros, calls / total.Elapsed.TotalSeconds);
}

internal sealed record Sample(double[] Micros, double PerSecond);

/// <summary>A redis-server without persistence on a free loopback port, for the length of the run.</summary>
internal sealed class LoopbackRedis : IDisposable
{
    private readonly Process _process;

    private LoopbackRedis(Process process, int port) => (_process, Configuration) = (process, $"127.0.0.1:{port}");

    public string Configuration { get; }

    public static LoopbackRedis Start()
    {
        var binary = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "redis-server")).Append("/usr/bin/redis-server").FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server was not found: install it (apt-get install -y redis-server) or pass --redis host:port.");
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return new LoopbackRedis(process, port);
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server did not listen on port {port} within 5 s.");
    }

    public void Dispose()
    {
        _process.Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}

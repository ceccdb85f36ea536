using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Policies;
using Conduit.Throughput.PhotoshopModels;
using Photoshop.Emulator;

namespace Conduit.Throughput;

/// <summary>
/// N callers send one operation in a loop for D seconds through the generated Photoshop client, against
/// the in-process emulator; then the emulator's record says how close the client came to the soft limit
/// without crossing the hard one. Exit code 1 on any hard-limit violation or 429, 2 on other client errors.
/// </summary>
public static class Program
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    public static async Task<int> Main(string[] args)
    {
        Settings settings;
        try
        {
            settings = Settings.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return 64;
        }

        var post = settings.Method == "post";
        var soft = post ? 15 : 300;
        var hard = post ? 16 : 310;

        await using var emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { RecordLimit = 1_000_000 });
        using var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        http.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);

        // Fresh options and limiters: nothing carried over from another client or run.
        var options = new ConduitClientOptions { RateLimiters = new InProcessRateLimiterProvider(), RateLimitPartition = "throughput", RateLimitMargin = settings.Margin ?? TimeSpan.Zero };
        var client = new PhotoshopClient(http, options);
        var body = new CreateCompositeRequest
        {
            Image = new ImageInput { Source = new FileSource { Url = new Uri("https://bucket.s3.amazonaws.com/in/photo.jpg?X-Amz-Signature=x") } },
            Outputs = [new ImageOutput { Destination = new FileDestination { Url = new Uri("https://bucket.s3.amazonaws.com/out/photo.png?X-Amz-Signature=x") }, MediaType = ImageMediaType.ImagePng }],
        };

        // A job to read in the GET phase (one POST permit, before the measured run).
        var jobId = post ? null : (await client.CreateCompositeAsync(body)).JobId;

        // The emulator's clock against ours: a request to no route is answered 404 before any rate limit is counted.
        var clock = Stopwatch.StartNew();
        var offset = await CalibrateAsync(http, emulator, clock);
        emulator.ResetRecords();

        Console.WriteLine($"{settings.Callers} callers, {settings.Seconds} s, {(post ? "POST createComposite" : "GET getJobStatus")} (soft {soft}, hard {hard} per 3 s), margin {settings.MarginText}");
        var completed = 0L;
        var errors = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var start = clock.Elapsed;
        var callers = Enumerable.Range(0, settings.Callers).Select(caller => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (post)
                    {
#pragma warning disable CND3007 // This run measures how fast requests start; what becomes of the jobs is not its concern.
                        _ = await client.CreateCompositeAsync(body, cancellationToken: stop.Token);
#pragma warning restore CND3007
                    }
                    else
                    {
                        _ = await client.GetJobStatusAsync(jobId!, stop.Token);
                    }

                    Interlocked.Increment(ref completed);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (ApiException e)
                {
                    errors.AddOrUpdate($"{e.GetType().Name} {(int?)e.StatusCode}", 1, (_, n) => n + 1);
                }
                catch (Exception e)
                {
                    errors.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
            }
        })).ToArray();

        stop.CancelAfter(TimeSpan.FromSeconds(settings.Seconds));
        await Task.WhenAll(callers);
        var end = clock.Elapsed;

        var stats = emulator.Stats;
        var path = post ? "/v2/create-composite" : "/v2/status/";
        var accepted = emulator.Requests
            .Where(r => r.Path.StartsWith(path, StringComparison.Ordinal) && r.Status is 200 or 202)
            .Select(r => r.At - offset)
            .Order()
            .ToArray();
        var report = WindowReport.Analyse(accepted, start, start + TimeSpan.FromSeconds(settings.Seconds), Window, soft);

        Console.WriteLine($"Accepted per 3 s window from the start (window 0 not counted): {string.Join(" ", report.AllWindows)}");
        Console.WriteLine(
            string.Create(CultureInfo.InvariantCulture, $"Steady state ({report.Windows.Length} windows): min {report.Min}, mean {report.Mean:0.00}, max {report.Max} per 3 s = ") +
            string.Create(CultureInfo.InvariantCulture, $"{report.Min * 100.0 / soft:0.0}% / {report.Mean * 100.0 / soft:0.0}% / {report.Max * 100.0 / soft:0.0}% of the soft limit"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Sustained: {soft} accepted per {report.EffectiveWindow.TotalSeconds:0.000} s on average (the time from one request to the {soft}th after it) = {report.SustainedShare * 100:0.0}% of the soft limit; most in any 3 s: {report.MostInAnyWindow} (hard {hard})"));
        Console.WriteLine($"Emulator: {stats}");
        Console.WriteLine($"Client: {completed} calls completed in {(end - start).TotalSeconds:0.0} s; errors: {(errors.IsEmpty ? "none" : string.Join(", ", errors.Select(e => $"{e.Key} x{e.Value}")))}");

        var failed = stats.OverHardLimit > 0 || stats.Throttled > 0;
        var verdict = failed ? "FAIL (hard limit or 429)" : !errors.IsEmpty ? "FAIL (client errors)" : report.SustainedShare >= 0.95 ? "OK (>= 95% of soft)" : "BELOW TARGET (< 95% of soft)";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SUMMARY method={settings.Method} callers={settings.Callers} seconds={settings.Seconds} margin={(settings.Margin is null ? "default" : settings.Margin.Value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms")} ") +
            string.Create(CultureInfo.InvariantCulture,
            $"accepted={accepted.Length} windows={report.Windows.Length} min={report.Min} mean={report.Mean:0.00} max={report.Max} window-share={report.Mean * 100.0 / soft:0.0}% sustained={report.SustainedShare * 100:0.0}% most-in-3s={report.MostInAnyWindow} ") +
            $"over-hard-limit={stats.OverHardLimit} throttled={stats.Throttled} completed={completed} errors={errors.Values.Sum()} => {verdict}");
        return failed ? 1 : errors.IsEmpty ? 0 : 2;
    }

    /// <summary>How far the emulator's <c>At</c> times are from <paramref name="clock"/>: the midpoint of a round trip.</summary>
    private static async Task<TimeSpan> CalibrateAsync(HttpClient http, PhotoshopEmulator emulator, Stopwatch clock)
    {
        var best = TimeSpan.MaxValue;
        var offset = TimeSpan.Zero;
        for (var i = 0; i < 5; i++)
        {
            var before = clock.Elapsed;
            using (await http.GetAsync("calibrate")) { }
            var after = clock.Elapsed;
            var at = emulator.Requests[^1].At;
            if (after - before < best)
            {
                best = after - before;
                offset = at - (before + ((after - before) / 2));
            }
        }

        return offset;
    }
}

/// <summary>Accepted requests per window, and the sustained rate.</summary>
/// <param name="AllWindows">Counts of every whole window from the start, the first included.</param>
/// <param name="Windows">The steady-state windows: all but the first.</param>
/// <param name="EffectiveWindow">The mean time from one accepted request to the <c>limit</c>-th after it, in the steady state.</param>
/// <param name="SustainedShare">The window over <see cref="EffectiveWindow"/>: the share of the limit sustained.</param>
/// <param name="MostInAnyWindow">The most accepted requests within any span of one window.</param>
public sealed record WindowReport(int[] AllWindows, int[] Windows, TimeSpan EffectiveWindow, double SustainedShare, int MostInAnyWindow)
{
    public int Min => Windows.Length == 0 ? 0 : Windows.Min();

    public int Max => Windows.Length == 0 ? 0 : Windows.Max();

    public double Mean => Windows.Length == 0 ? 0 : Windows.Average();

    /// <summary>Analyses sorted arrival times (on the same clock as <paramref name="start"/> and <paramref name="end"/>).</summary>
    public static WindowReport Analyse(IReadOnlyList<TimeSpan> arrivals, TimeSpan start, TimeSpan end, TimeSpan window, int limit)
    {
        var whole = (int)((end - start).Ticks / window.Ticks);
        var all = new int[whole];
        foreach (var at in arrivals)
        {
            var k = (int)Math.Floor((at - start).Ticks / (double)window.Ticks);
            if (k >= 0 && k < whole)
            {
                all[k]++;
            }
        }

        // From one request to the limit-th after it, averaged over the steady state (after the first window).
        var steady = arrivals.Where(a => a >= start + window && a < end).ToArray();
        var gaps = 0.0;
        var pairs = steady.Length - limit;
        for (var i = 0; i < pairs; i++)
        {
            gaps += (steady[i + limit] - steady[i]).Ticks;
        }

        var effective = pairs > 0 ? TimeSpan.FromTicks((long)(gaps / pairs)) : TimeSpan.Zero;
        var most = 0;
        for (int i = 0, j = 0; j < arrivals.Count; j++)
        {
            while (arrivals[j] - arrivals[i] >= window)
            {
                i++;
            }

            most = Math.Max(most, j - i + 1);
        }

        return new WindowReport(all, all.Skip(1).ToArray(), effective, effective > TimeSpan.Zero ? window / effective : 0, most);
    }
}

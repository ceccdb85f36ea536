using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace Conduit.CallBenchmarks;

/// <summary>
/// `-- --paired [ROUNDS] [CALLS]`: a check of BenchmarkDotNet's ratios that holds up on a shared, loaded
/// machine. The clients take turns, CALLS calls each, for ROUNDS rounds (the order rotating every
/// round), and each client's time is divided by the hand-written client's in the same round, so a load
/// that changes over minutes affects both sides of every ratio alike. Reports medians over rounds.
/// </summary>
public static class PairedRounds
{
    /// <summary>Runs the rounds over loopback and in memory, GET and POST.</summary>
    public static async Task<int> RunAsync(int rounds, int calls)
    {
        var loopback = new LoopbackCallBenchmarks();
        loopback.Setup();
        var inMemory = new InMemoryCallBenchmarks();
        inMemory.Setup();
        try
        {
            Console.WriteLine($"{rounds} rounds x {calls} calls per client; load average at start: {LoadAverage()}");
            await RunSetAsync("loopback GET", rounds, calls,
            [
                ("HandWritten", () => loopback.HandWritten_Get()),
                ("Conduit", () => loopback.Conduit_Get()),
                ("ConduitNoRules", () => loopback.ConduitNoRules_Get()),
                ("Refit", () => loopback.Refit_Get()),
                ("RawSocket", () => loopback.RawSocket_Get().AsTask()),
            ]).ConfigureAwait(false);
            await RunSetAsync("loopback POST", rounds, calls,
            [
                ("HandWritten", () => loopback.HandWritten_Post()),
                ("Conduit", () => loopback.Conduit_Post()),
                ("ConduitNoRules", () => loopback.ConduitNoRules_Post()),
                ("Refit", () => loopback.Refit_Post()),
                ("RawSocket", () => loopback.RawSocket_Post().AsTask()),
            ]).ConfigureAwait(false);
            await RunSetAsync("in-memory GET", rounds, calls * 10,
            [
                ("HandWritten", () => inMemory.HandWritten_Get()),
                ("Conduit", () => inMemory.Conduit_Get()),
                ("ConduitNoRules", () => inMemory.ConduitNoRules_Get()),
                ("Refit", () => inMemory.Refit_Get()),
            ]).ConfigureAwait(false);
            await RunSetAsync("in-memory POST", rounds, calls * 10,
            [
                ("HandWritten", () => inMemory.HandWritten_Post()),
                ("Conduit", () => inMemory.Conduit_Post()),
                ("ConduitNoRules", () => inMemory.ConduitNoRules_Post()),
                ("Refit", () => inMemory.Refit_Post()),
            ]).ConfigureAwait(false);
            Console.WriteLine($"load average at end: {LoadAverage()}");
        }
        finally
        {
            loopback.Cleanup();
            inMemory.Cleanup();
        }

        return 0;
    }

    private static async Task RunSetAsync(string title, int rounds, int calls, (string Name, Func<Task> Call)[] clients)
    {
        foreach (var (_, call) in clients)
        {
            for (var i = 0; i < 2000; i++)
            {
                await call().ConfigureAwait(false);
            }
        }

        var times = clients.Select(_ => new List<double>()).ToArray();
        var bytes = clients.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < clients.Length; k++)
            {
                var c = (k + round) % clients.Length;
                var call = clients[c].Call;
                var allocated = GC.GetTotalAllocatedBytes(true);
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    await call().ConfigureAwait(false);
                }

                watch.Stop();
                times[c].Add(watch.Elapsed.TotalMicroseconds / calls);
                bytes[c].Add((GC.GetTotalAllocatedBytes(true) - allocated) / (double)calls);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{title}: per call, median over {rounds} rounds [min-max of the per-round ratio]");
        Console.WriteLine($"| Client | Time (us) | Ratio | Allocated (B) | Alloc ratio |");
        Console.WriteLine($"|---|---:|---:|---:|---:|");
        for (var c = 0; c < clients.Length; c++)
        {
            var ratios = times[c].Zip(times[0], (a, b) => a / b).ToList();
            var allocRatio = Median(bytes[c]) / Median(bytes[0]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {clients[c].Name} | {Median(times[c]):0.0} | {Median(ratios):0.00} [{ratios.Min():0.00}-{ratios.Max():0.00}] | {Median(bytes[c]):N0} | {allocRatio:0.00} |"));
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

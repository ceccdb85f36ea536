using System;
using System.Diagnostics;
using System.Threading.Tasks;
using BenchmarkDotNet.Running;

namespace Conduit.CallBenchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--check")
        {
            return CheckAsync().GetAwaiter().GetResult();
        }

        if (args.Length > 0 && args[0] == "--paired")
        {
            var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 21;
            var calls = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 1000;
            return PairedRounds.RunAsync(rounds, calls).GetAwaiter().GetResult();
        }

        if (args.Length > 1 && args[0] == "--latency")
        {
            return AllocationBreakdown.Latency(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 20_000);
        }

        if (args.Length > 0 && args[0] == "--alloc")
        {
            return args.Length > 1
                ? AllocationBreakdown.Run(args[1], args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000)
                : Usage();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("--alloc NAME [CALLS], NAME one of: " + string.Join(", ", AllocationBreakdown.Names));
        return 64;
    }

    /// <summary>`-- --check`: every client once against both servers (answers compared), then a rough timing.</summary>
    private static async Task<int> CheckAsync()
    {
        var loopback = new LoopbackCallBenchmarks();
        loopback.Setup();
        var inMemory = new InMemoryCallBenchmarks();
        inMemory.Setup();
        Console.WriteLine("Every client read the same items over loopback and in memory.");
        try
        {
            await TimeAsync("loopback HandWritten_Get", () => loopback.HandWritten_Get());
            await TimeAsync("loopback Conduit_Get", () => loopback.Conduit_Get());
            await TimeAsync("loopback ConduitNoRules_Get", () => loopback.ConduitNoRules_Get());
            await TimeAsync("loopback Refit_Get", () => loopback.Refit_Get());
            await TimeAsync("loopback RawSocket_Get", () => loopback.RawSocket_Get().AsTask());
            await TimeAsync("loopback HandWritten_Post", () => loopback.HandWritten_Post());
            await TimeAsync("loopback Conduit_Post", () => loopback.Conduit_Post());
            await TimeAsync("loopback RawSocket_Post", () => loopback.RawSocket_Post().AsTask());
            await TimeAsync("in-memory HandWritten_Get", () => inMemory.HandWritten_Get());
            await TimeAsync("in-memory Conduit_Get", () => inMemory.Conduit_Get());
            await TimeAsync("in-memory HandWritten_Post", () => inMemory.HandWritten_Post());
            await TimeAsync("in-memory Conduit_Post", () => inMemory.Conduit_Post());
        }
        finally
        {
            loopback.Cleanup();
            inMemory.Cleanup();
        }

        return 0;
    }

    private static async Task TimeAsync(string name, Func<Task> call)
    {
        for (var i = 0; i < 2000; i++)
        {
            await call();
        }

        const int N = 5000;
        var allocated = GC.GetTotalAllocatedBytes(true);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < N; i++)
        {
            await call();
        }

        watch.Stop();
        allocated = GC.GetTotalAllocatedBytes(true) - allocated;
        Console.WriteLine($"{name,-30} {watch.Elapsed.TotalMicroseconds / N,8:F1} us {allocated / N,8:N0} B");
    }
}

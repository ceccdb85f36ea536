using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Tracing;
using System.Linq;
using System.Threading.Tasks;

namespace Conduit.CallBenchmarks;

/// <summary>
/// `-- --alloc NAME [CALLS]`: which types one call allocates, by the runtime's allocation-tick events (one
/// event per ~100 KB allocated, naming the type whose allocation crossed it). Each event stands for the
/// bytes allocated since the last, so over many calls the bytes per type per call come out right on
/// average. No tool to install: an in-process <see cref="EventListener"/>.
/// </summary>
public static class AllocationBreakdown
{
    /// <summary>The operations that can be broken down, by name.</summary>
    public static IReadOnlyList<string> Names => [.. Operations(null!, null!, null!).Keys];

    /// <summary>Runs <paramref name="name"/> <paramref name="calls"/> times and prints bytes per call by type.</summary>
    public static int Run(string name, int calls)
    {
        var parts = new PartsBenchmarks();
        parts.Setup();
        var inMemory = new InMemoryCallBenchmarks();
        inMemory.Setup();
        var loopback = new LoopbackCallBenchmarks();
        loopback.Setup();
        var operations = Operations(parts, inMemory, loopback);
        if (!operations.TryGetValue(name, out var operation))
        {
            Console.Error.WriteLine($"Unknown operation {name}; one of: {string.Join(", ", operations.Keys)}");
            return 64;
        }

        for (var i = 0; i < 5000; i++)
        {
            operation().GetAwaiter().GetResult();
        }

        var before = GC.GetTotalAllocatedBytes(true);
        using var listener = new TickListener();
        for (var i = 0; i < calls; i++)
        {
            operation().GetAwaiter().GetResult();
        }

        var total = GC.GetTotalAllocatedBytes(true) - before;
        listener.Dispose();
        var sampled = listener.Bytes.Values.Sum();
        Console.WriteLine($"{name}: {total / (double)calls:N0} B per call measured ({calls:N0} calls); by type, from {listener.Events:N0} allocation ticks:");
        foreach (var (type, bytes) in listener.Bytes.OrderByDescending(p => p.Value))
        {
            var perCall = total / (double)calls * bytes / sampled;
            if (perCall >= 8)
            {
                Console.WriteLine($"  {perCall,8:N0} B  {type}");
            }
        }

        parts.Cleanup();
        inMemory.Cleanup();
        loopback.Cleanup();
        return 0;
    }

    /// <summary>`-- --latency NAME [CALLS]`: percentiles of single calls, to see whether a mean hides rare stalls.</summary>
    public static int Latency(string name, int calls)
    {
        var parts = new PartsBenchmarks();
        parts.Setup();
        var inMemory = new InMemoryCallBenchmarks();
        inMemory.Setup();
        var loopback = new LoopbackCallBenchmarks();
        loopback.Setup();
        var operations = Operations(parts, inMemory, loopback);
        if (!operations.TryGetValue(name, out var operation))
        {
            Console.Error.WriteLine($"Unknown operation {name}; one of: {string.Join(", ", operations.Keys)}");
            return 64;
        }

        for (var i = 0; i < 2000; i++)
        {
            operation().GetAwaiter().GetResult();
        }

        var times = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            operation().GetAwaiter().GetResult();
            times[i] = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        Array.Sort(times);
        double At(double q) => times[Math.Min(times.Length - 1, (int)(q * times.Length))];
        Console.WriteLine(FormattableString.Invariant(
            $"{name}: {calls:N0} calls, mean {times.Average():0.0} us, p50 {At(0.5):0.0}, p90 {At(0.9):0.0}, p99 {At(0.99):0.0}, p99.9 {At(0.999):0.0}, max {times[^1]:0.0} us; over 1 ms: {times.Count(t => t > 1000)}, over 10 ms: {times.Count(t => t > 10_000)}"));
        parts.Cleanup();
        inMemory.Cleanup();
        loopback.Cleanup();
        return 0;
    }

    private static Dictionary<string, Func<Task>> Operations(PartsBenchmarks parts, InMemoryCallBenchmarks inMemory, LoopbackCallBenchmarks loopback) => new()
    {
        ["write-conduit-pooled"] = () => { parts.Write_Conduit_PooledWriter(); return Task.CompletedTask; },
        ["write-stj"] = () => { parts.Write_Stj(); return Task.CompletedTask; },
        ["write-conduit"] = () => { parts.Write_Conduit(); return Task.CompletedTask; },
        ["read-stj"] = () => { parts.Read_Stj(); return Task.CompletedTask; },
        ["read-conduit"] = () => { parts.Read_Conduit(); return Task.CompletedTask; },
        ["message-handwritten"] = () => { parts.Message_HandWritten(); return Task.CompletedTask; },
        ["message-conduit"] = () => { parts.Message_Conduit(); return Task.CompletedTask; },
        ["body-handwritten"] = () => parts.Body_HandWritten(),
        ["body-conduit"] = () => parts.Body_Conduit(),
        ["answer-handwritten"] = () => parts.Answer_HandWritten_Stream(),
        ["answer-conduit"] = () => parts.Answer_Conduit_Buffered(),
        ["pipeline"] = () => parts.Pipeline_RetryAndLimiter(),
        ["get-handwritten"] = () => inMemory.HandWritten_Get(),
        ["get-conduit"] = () => inMemory.Conduit_Get(),
        ["get-conduit-norules"] = () => inMemory.ConduitNoRules_Get(),
        ["get-refit"] = () => inMemory.Refit_Get(),
        ["post-handwritten"] = () => inMemory.HandWritten_Post(),
        ["post-conduit"] = () => inMemory.Conduit_Post(),
        ["post-conduit-norules"] = () => inMemory.ConduitNoRules_Post(),
        ["post-refit"] = () => inMemory.Refit_Post(),
        ["loopback-get-handwritten"] = () => loopback.HandWritten_Get(),
        ["loopback-get-conduit"] = () => loopback.Conduit_Get(),
        ["loopback-get-conduit-norules"] = () => loopback.ConduitNoRules_Get(),
        ["loopback-get-raw"] = () => loopback.RawSocket_Get().AsTask(),
        ["loopback-post-handwritten"] = () => loopback.HandWritten_Post(),
        ["loopback-post-conduit"] = () => loopback.Conduit_Post(),
        ["loopback-post-conduit-norules"] = () => loopback.ConduitNoRules_Post(),
        ["loopback-post-refit"] = () => loopback.Refit_Post(),
        ["loopback-post-raw"] = () => loopback.RawSocket_Post().AsTask(),
        ["loopback-get-refit"] = () => loopback.Refit_Get(),
    };

    private sealed class TickListener : EventListener
    {
        private const int AllocationTick = 10;
        private bool _enabled = true;

        public ConcurrentDictionary<string, long> Bytes { get; } = new();

        public int Events { get; private set; }

        public override void Dispose()
        {
            _enabled = false;
            base.Dispose();
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (!_enabled || eventData.EventId != AllocationTick || eventData.Payload is null)
            {
                return;
            }

            var names = eventData.PayloadNames!;
            var type = (string?)eventData.Payload[names.IndexOf("TypeName")] ?? "?";
            var amount = Convert.ToInt64(eventData.Payload[names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
            Bytes.AddOrUpdate(type, amount, (_, n) => n + amount);
            Events++;
        }
    }
}

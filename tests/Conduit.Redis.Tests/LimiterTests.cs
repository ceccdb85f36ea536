using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Policies;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Conduit.Redis.Tests;

/// <summary>The provider's limiters against a real redis-server on loopback.</summary>
public sealed class LimiterTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly RateLimitKey Key = new("default", "photoshop", "POST");
    private static readonly TimeSpan Prompt = TimeSpan.FromMilliseconds(300);

    /// <summary>Stamps in Redis and the clock readings they are compared with are whole milliseconds: two readings may differ by this much, in seconds.</summary>
    private const double Rounding = 0.002;

    /// <summary>Each test has its own keys in the shared server.</summary>
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Grants_the_limit_per_window_and_the_next_caller_waits_for_the_oldest_permit_to_leave()
    {
        using var provider = Provider();
        var limiter = provider.GetLimiter(Key, Size(3, seconds: 1));
        var clock = Stopwatch.StartNew();

        // Timed from the first grant, so the connection's start-up (slow on a loaded machine) is not counted.
        var grants = await GrantTimesAsync(limiter, 3, clock);
        var stamps = await StampsAsync(provider, Key);
        await GrantTimeAsync(limiter, clock).WaitAsync(TimeSpan.FromSeconds(10));
        var granted = UnixSeconds();

        var free = grants[2] - grants[0];
        Assert.True(free < TimeSpan.FromSeconds(0.9), $"Three free permits took {free.TotalMilliseconds:0} ms: they waited for a window.");

        // The fourth waited until the oldest permit Redis holds had left the window: 1 s plus the 100 ms send allowance.
        Assert.True(stamps.Length >= 3, $"Redis holds {stamps.Length} permits after three grants.");
        Assert.InRange(granted - stamps[0], 1.1 - Rounding, 3.5);
    }

    [Fact]
    public async Task Waiting_callers_are_served_in_order_a_window_at_a_time()
    {
        using var provider = Provider();
        var limiter = provider.GetLimiter(Key, Size(3, seconds: 1));
        await provider.Connection.GetDatabase().PingAsync();

        // Seven callers queue at once; the loop asks Redis for all their permits in one batch and gets three.
        var callers = Enumerable.Range(0, 7).Select(_ => limiter.AcquireAsync().AsTask()
            .ContinueWith(t => (Lease: t.Result, At: UnixSeconds()), TaskScheduler.Default)).ToList();
        var grants = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.All(grants, g => Assert.True(g.Lease.IsAcquired));

        // First in, first served: callers 0-2 in the first window, 3-5 once their permits left it (1 s plus the
        // 100 ms send allowance), 6 in the third. Each caller's time is read when its continuation runs, up to a
        // scheduling delay after the grant, hence 0.9 s rather than 1.1 s.
        var windows = new[] { grants[0..3], grants[3..6], grants[6..] };
        for (var w = 1; w < windows.Length; w++)
        {
            var gap = windows[w].Min(g => g.At) - windows[w - 1].Max(g => g.At);
            Assert.True(gap >= 0.9, $"Window {w} began {gap:0.000} s after the last grant of window {w - 1}: {string.Join(", ", grants.Select(g => g.At.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}.");
        }

        foreach (var (lease, _) in grants)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public async Task A_request_answered_later_than_the_send_allowance_is_counted_again_until_a_window_after_its_answer()
    {
        using var provider = Provider();
        var limiter = provider.GetLimiter(Key, Size(5, seconds: 3));
        (await limiter.AcquireAsync()).Dispose();
        var slow = await limiter.AcquireAsync();
        await Task.Delay(300); // The test's send allowance is 100 ms.
        var before = await CountInRedisAsync(provider, Key, maxAgeSeconds: 10);

        var released = UnixSeconds();
        slow.Dispose();
        var returned = UnixSeconds();

        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (await CountInRedisAsync(provider, Key, maxAgeSeconds: 10) == before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Equal(before + 1, await CountInRedisAsync(provider, Key, maxAgeSeconds: 10));
        var newest = await provider.Connection.GetDatabase().SortedSetRangeByRankWithScoresAsync(RedisSharedRateLimiter.WindowKey(provider.IdOf(Key)), -1, -1);

        // Stamped the send allowance (100 ms) before the answer: it leaves the window (3 s plus the allowance) a
        // window after the answer.
        Assert.InRange(newest[0].Score, released - 0.1 - Rounding, returned - 0.1 + Rounding);
    }

    [Fact]
    public async Task Two_providers_on_their_own_connections_share_one_limit()
    {
        using var first = Provider();
        using var second = Provider();
        var size = Size(2, seconds: 1.5);
        var a = first.GetLimiter(Key, size);
        var b = second.GetLimiter(Key, size);

        (await a.AcquireAsync()).Dispose();
        (await a.AcquireAsync()).Dispose();
        var stamps = await StampsAsync(first, Key);
        var waiting = b.AcquireAsync().AsTask();

        await Task.Delay(Prompt);
        Assert.False(waiting.IsCompleted, "The second process got a permit the first had used up.");
        using var lease = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        var granted = UnixSeconds();
        Assert.True(lease.IsAcquired);

        // Granted once the first process's oldest permit had left the window (1.5 s plus the 100 ms send allowance).
        Assert.InRange(granted - stamps[0], 1.6 - Rounding, 4.5);
    }

    [Fact]
    public async Task Callers_queue_up_to_the_queue_limit_further_ones_are_refused_and_a_cancelled_one_frees_its_place()
    {
        using var provider = Provider();
        var limiter = provider.GetLimiter(Key, Size(1, seconds: 2, queue: 2));
        (await limiter.AcquireAsync()).Dispose();
        using var cancel = new CancellationTokenSource();
        var waiting = new[] { limiter.AcquireAsync().AsTask(), limiter.AcquireAsync(1, cancel.Token).AsTask() };

        using var refused = await limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.ReasonPhrase, out var reason));
        Assert.Equal("queue-full", reason);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentQueuedCount);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting[1]);
        var third = limiter.AcquireAsync().AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.True((await waiting[0].WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.True((await third.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public async Task A_429_seen_by_one_process_holds_the_limit_in_the_others()
    {
        using var first = Provider();
        using var second = Provider();
        var size = Size(10, seconds: 1);
        first.GetLimiter(Key, size);
        var other = second.GetLimiter(Key, size);
        var unrelated = second.GetLimiter(Key with { Method = "GET" }, size);
        await Task.WhenAll(first.Subscribed, second.Subscribed);

        first.Throttled(Key, TimeSpan.FromSeconds(1.5));
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();
        using var free = await unrelated.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));
        using var held = await other.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(free.IsAcquired);
        Assert.True(held.IsAcquired);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.1, 3.0);
    }

    [Fact]
    public async Task Limits_are_kept_apart_by_partition_group_method_and_prefix()
    {
        using var provider = Provider();
        using var otherPrefix = Provider(prefix: _prefix + "-other");
        using var sameKeys = Provider();
        var size = Size(1, seconds: 5);

        // Connected first, so that a slow connection on a loaded machine is not mistaken for a wait for the window.
        await Task.WhenAll(new[] { provider, otherPrefix, sameKeys }.Select(p => p.Connection.GetDatabase().PingAsync()));
        (await provider.GetLimiter(Key, size).AcquireAsync()).Dispose();

        foreach (var (limiter, what) in new[]
        {
            (provider.GetLimiter(Key with { Partition = "org-b" }, size), "another partition"),
            (provider.GetLimiter(Key with { Group = "remove-background" }, size), "another group"),
            (provider.GetLimiter(Key with { Method = "GET" }, size), "another method"),
            (otherPrefix.GetLimiter(Key, size), "another key prefix"),
        })
        {
            // Well within the 5 s window: the permit did not wait for the one taken under Key.
            var lease = await limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(2));
            Assert.True(lease.IsAcquired, what);
        }

        var same = sameKeys.GetLimiter(Key, size).AcquireAsync().AsTask();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(same.IsCompleted, "The same partition, group and method under the same prefix must be one limit.");
    }

    [Fact]
    public void Options_must_choose_a_behaviour_and_a_local_share_to_fall_back_to()
    {
        var unchosen = Assert.Throws<ArgumentException>(() => new RedisRateLimiterProvider(new RedisRateLimitOptions { Configuration = redis.Server.Configuration, WhenUnavailable = RedisUnavailableBehavior.Unspecified }));
        var noShare = Assert.Throws<ArgumentException>(() => new RedisRateLimiterProvider(new RedisRateLimitOptions { Configuration = redis.Server.Configuration, WhenUnavailable = RedisUnavailableBehavior.FallBackToLocalShare }));
        var nowhere = Assert.Throws<ArgumentException>(() => new RedisRateLimiterProvider(new RedisRateLimitOptions { WhenUnavailable = RedisUnavailableBehavior.FailFast }));

        Assert.Contains("Choose RedisRateLimitOptions.WhenUnavailable", unchosen.Message, StringComparison.Ordinal);
        Assert.Contains("LocalShare", noShare.Message, StringComparison.Ordinal);
        Assert.Contains("Configuration", nowhere.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_provider_is_what_generated_clients_get_from_the_container()
    {
        var services = new ServiceCollection();
        services.AddConduitRedisRateLimits(Options(RedisUnavailableBehavior.FailFast, redis.Server.Configuration, _prefix));
        ConduitServices.AddOptions(services);
        using var container = services.BuildServiceProvider();

        var options = ConduitServices.Options(container);

        Assert.IsType<RedisRateLimiterProvider>(options.RateLimiters);
        Assert.Same(container.GetRequiredService<RedisRateLimiterProvider>(), options.RateLimiters);
    }

    [Fact]
    public async Task Fail_fast_with_Redis_down_at_start_throws_at_once_saying_what_to_do()
    {
        await using var server = await RedisServer.StartAsync();
        server.Kill();
        using var provider = Provider(RedisUnavailableBehavior.FailFast, server.Configuration);
        var limiter = provider.GetLimiter(Key, Size(3, seconds: 1));
        var clock = Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<RedisRateLimitUnavailableException>(() => limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"Failing took {clock.Elapsed.TotalMilliseconds:0} ms.");
        Assert.Equal(Key, e.Key);
        Assert.Contains(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", e.Message, StringComparison.Ordinal);
        Assert.Contains("FallBackToLocalShare", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fallback_with_Redis_down_at_start_grants_the_local_share_after_one_window_of_grace()
    {
        await using var server = await RedisServer.StartAsync();
        server.Kill();
        using var provider = Provider(RedisUnavailableBehavior.FallBackToLocalShare, server.Configuration, share: 0.5);
        var limiter = provider.GetLimiter(Key, Size(4, seconds: 1));
        var clock = Stopwatch.StartNew();

        var grants = await GrantTimesAsync(limiter, 5, clock);

        // Two per window (half of 4), the first only after one window, every lease released at once.
        Assert.InRange(grants[0].TotalSeconds, 0.95, 2.5);
        Assert.InRange((grants[1] - grants[0]).TotalSeconds, 0, 0.3);
        Assert.InRange((grants[2] - grants[0]).TotalSeconds, 0.95, 2.5);
        Assert.InRange((grants[4] - grants[2]).TotalSeconds, 0.95, 2.5);
    }

    [Fact]
    public async Task Fail_fast_when_Redis_is_killed_fails_waiting_and_new_callers_promptly()
    {
        await using var server = await RedisServer.StartAsync();
        using var provider = Provider(RedisUnavailableBehavior.FailFast, server.Configuration);
        var limiter = provider.GetLimiter(Key, Size(2, seconds: 3));
        (await limiter.AcquireAsync()).Dispose();
        (await limiter.AcquireAsync()).Dispose();
        var waiting = limiter.AcquireAsync().AsTask();
        await Task.Delay(100);
        var clock = Stopwatch.StartNew();

        server.Kill();

        await Assert.ThrowsAsync<RedisRateLimitUnavailableException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"The waiting caller failed after {clock.Elapsed.TotalMilliseconds:0} ms.");
        clock.Restart();
        await Assert.ThrowsAsync<RedisRateLimitUnavailableException>(() => limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"A new caller failed after {clock.Elapsed.TotalMilliseconds:0} ms.");
    }

    [Fact]
    public async Task Fallback_when_Redis_is_killed_moves_waiting_callers_to_the_local_share_and_returns_to_Redis_when_it_is_back()
    {
        await using var server = await RedisServer.StartAsync();
        using var provider = Provider(RedisUnavailableBehavior.FallBackToLocalShare, server.Configuration, share: 0.5);
        var limiter = provider.GetLimiter(Key, Size(4, seconds: 1));
        for (var i = 0; i < 4; i++)
        {
            (await limiter.AcquireAsync()).Dispose();
        }

        var clock = Stopwatch.StartNew();
        var waiting = Enumerable.Range(0, 3).Select(_ => GrantTimeAsync(limiter, clock)).ToList();
        await Task.Delay(100);

        server.Kill();
        var grants = (await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10))).Order().ToList();
        grants.AddRange(await GrantTimesAsync(limiter, 2, clock));

        // Every caller was served without an error, at most two (the local share) per window.
        for (var i = 2; i < grants.Count; i++)
        {
            Assert.True(grants[i] - grants[i - 2] >= TimeSpan.FromSeconds(0.95), $"Grants {i - 2} and {i} came {(grants[i] - grants[i - 2]).TotalMilliseconds:0} ms apart: {string.Join(", ", grants.Select(g => g.TotalSeconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))} s.");
        }

        await server.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // The retry interval.
        var back = await limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(back.IsAcquired);
        Assert.True(await CountInRedisAsync(provider, Key, maxAgeSeconds: 5) >= 1, "Back on Redis, permits are counted there again.");
    }

    private static RateLimitSettings Size(int permits, double seconds, int queue = 100)
        => new(permits, TimeSpan.FromSeconds(seconds), permits + 1, TimeSpan.Zero, queue);

    private static RedisRateLimitOptions Options(RedisUnavailableBehavior behavior, string configuration, string prefix, double share = 0.5) => new()
    {
        Configuration = configuration,
        KeyPrefix = prefix,
        WhenUnavailable = behavior,
        LocalShare = share,
        SendAllowance = TimeSpan.FromMilliseconds(100),
        OperationTimeout = TimeSpan.FromSeconds(1),
        RetryInterval = TimeSpan.FromSeconds(1),
    };

    private static async Task<TimeSpan> GrantTimeAsync(RateLimiter limiter, Stopwatch clock)
    {
        using var lease = await limiter.AcquireAsync();
        Assert.True(lease.IsAcquired);
        return clock.Elapsed;
    }

    private static async Task<List<TimeSpan>> GrantTimesAsync(RateLimiter limiter, int count, Stopwatch clock)
    {
        var times = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            times.Add(await GrantTimeAsync(limiter, clock).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        return times;
    }

    /// <summary>Permits RedisRateLimiting holds for <paramref name="key"/> that are at most <paramref name="maxAgeSeconds"/> old.</summary>
    private static async Task<long> CountInRedisAsync(RedisRateLimiterProvider provider, RateLimitKey key, double maxAgeSeconds)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        return await provider.Connection.GetDatabase().SortedSetLengthAsync(RedisSharedRateLimiter.WindowKey(provider.IdOf(key)), now - maxAgeSeconds, double.PositiveInfinity);
    }

    /// <summary>The grant times (Unix seconds, oldest first) of the permits RedisRateLimiting holds for <paramref name="key"/>.</summary>
    private static async Task<double[]> StampsAsync(RedisRateLimiterProvider provider, RateLimitKey key)
    {
        var entries = await provider.Connection.GetDatabase().SortedSetRangeByRankWithScoresAsync(RedisSharedRateLimiter.WindowKey(provider.IdOf(key)));
        return [.. entries.Select(e => e.Score)];
    }

    /// <summary>The wall clock as RedisRateLimiting stamps permits with it.</summary>
    private static double UnixSeconds() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private RedisRateLimiterProvider Provider(RedisUnavailableBehavior behavior = RedisUnavailableBehavior.FailFast, string? configuration = null, double share = 0.5, string? prefix = null)
        => new(Options(behavior, configuration ?? redis.Server.Configuration, prefix ?? _prefix, share));
}

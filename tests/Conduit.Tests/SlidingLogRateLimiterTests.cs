using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Policies;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests;

public sealed class SlidingLogRateLimiterTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

    private SlidingLogRateLimiter Limiter(int permits = 3, int queue = 100, double marginSeconds = 0)
        => new(new RateLimitSettings(permits, Window, permits + 1, TimeSpan.FromSeconds(marginSeconds), queue), _time);

    [Fact]
    public async Task Grants_the_limit_at_once_then_waits_for_the_oldest_grant_to_leave_the_window()
    {
        using var limiter = Limiter(permits: 3, marginSeconds: 0.1);
        for (var i = 0; i < 3; i++)
        {
            using var lease = await limiter.AcquireAsync();
            Assert.True(lease.IsAcquired);
        }

        var fourth = limiter.AcquireAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(3.05));
        Assert.False(fourth.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.05));
        Assert.True((await fourth.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public void AttemptAcquire_refuses_without_waiting_and_says_how_long_to_wait()
    {
        using var limiter = Limiter(permits: 1);
        using (var granted = limiter.AttemptAcquire())
        {
            Assert.True(granted.IsAcquired);
        }

        _time.Advance(TimeSpan.FromSeconds(1));

        using var refused = limiter.AttemptAcquire();

        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(2), retryAfter);
    }

    [Fact]
    public void No_interval_as_long_as_the_window_ever_holds_more_than_the_limit()
    {
        // Bursts at random moments: the strict guarantee is about every interval, not window boundaries.
        // The fake clock stands still between advances, so a grant seen after an advance happened at that moment.
        using var limiter = Limiter(permits: 5, queue: 1000);
        var random = new Random(12345);
        var waiting = new List<Task<RateLimitLease>>();
        var grants = new List<DateTimeOffset>();
        void Stamp()
        {
            foreach (var done in waiting.Where(t => t.IsCompleted).ToList())
            {
                Assert.True(done.Result.IsAcquired);
                done.Result.Dispose();
                grants.Add(_time.GetUtcNow());
                waiting.Remove(done);
            }
        }

        for (var step = 0; step < 400 || waiting.Count > 0; step++)
        {
            for (var i = step < 400 ? random.Next(0, 4) : 0; i > 0; i--)
            {
                waiting.Add(limiter.AcquireAsync().AsTask());
            }

            Stamp();
            _time.Advance(TimeSpan.FromMilliseconds(random.Next(1, 200)));
            Stamp();
        }

        Assert.True(grants.Count > 300, $"Only {grants.Count} grants.");
        for (var i = 5; i < grants.Count; i++)
        {
            Assert.True(grants[i] - grants[i - 5] >= Window, $"Grants {i - 5} and {i} are {(grants[i] - grants[i - 5]).TotalSeconds} s apart: six permits in one window.");
        }
    }

    [Fact]
    public async Task Waiters_are_served_first_in_first_out()
    {
        using var limiter = Limiter(permits: 1);
        (await limiter.AcquireAsync()).Dispose();
        var order = new List<int>();
        var waiters = Enumerable.Range(0, 3).Select(i => limiter.AcquireAsync().AsTask().ContinueWith(t => { t.Result.Dispose(); lock (order) { order.Add(i); } })).ToArray();

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(Window);
            await Until(() => order.Count == i + 1);
        }

        await Task.WhenAll(waiters);
        Assert.Equal([0, 1, 2], order);
    }

    [Fact]
    public async Task A_full_queue_refuses_at_once()
    {
        using var limiter = Limiter(permits: 1, queue: 2);
        await limiter.AcquireAsync();
        var queued = new[] { limiter.AcquireAsync(), limiter.AcquireAsync() };

        using var refused = await limiter.AcquireAsync();

        Assert.False(refused.IsAcquired);
        Assert.Equal(2, limiter.GetStatistics()!.CurrentQueuedCount);
        Assert.All(queued, q => Assert.False(q.IsCompleted));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_one_gets_its_turn()
    {
        using var limiter = Limiter(permits: 1);
        (await limiter.AcquireAsync()).Dispose();
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.AcquireAsync(1, cancel.Token).AsTask();
        var next = limiter.AcquireAsync().AsTask();

        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(1, limiter.GetStatistics()!.CurrentQueuedCount);

        _time.Advance(Window);
        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public async Task A_permit_counts_until_a_window_after_its_request_was_answered()
    {
        // A request that took 2 s to answer may have reached the service at any moment of those 2 s.
        using var limiter = Limiter(permits: 1);
        var slow = await limiter.AcquireAsync();
        var next = limiter.AcquireAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.False(next.IsCompleted);

        slow.Dispose();
        _time.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(next.IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True((await next.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public async Task A_hold_keeps_every_caller_waiting_until_it_ends()
    {
        using var limiter = Limiter(permits: 10);
        limiter.HoldFor(TimeSpan.FromSeconds(5));

        var waiting = limiter.AcquireAsync().AsTask();
        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(0, limiter.GetStatistics()!.CurrentAvailablePermits);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
    }

    [Fact]
    public async Task Disposing_releases_waiters_with_a_refusal()
    {
        var limiter = Limiter(permits: 1);
        await limiter.AcquireAsync();
        var waiting = limiter.AcquireAsync().AsTask();

        limiter.Dispose();

        Assert.False((await waiting.WaitAsync(TimeSpan.FromSeconds(5))).IsAcquired);
        Assert.Throws<ObjectDisposedException>(() => limiter.AttemptAcquire());
    }

    [Fact]
    public void The_shared_provider_refuses_one_limit_with_two_sizes()
    {
        var provider = new InProcessRateLimiterProvider(_time);
        var key = new RateLimitKey("default", "photoshop", "POST");
        var first = provider.GetLimiter(key, new RateLimitSettings(15, Window, 16, TimeSpan.Zero, 10));

        Assert.Same(first, provider.GetLimiter(key, new RateLimitSettings(15, Window, 16, TimeSpan.Zero, 10)));
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetLimiter(key, new RateLimitSettings(16, Window, 16, TimeSpan.Zero, 10)));
        Assert.Contains("photoshop POST (default)", e.Message);
        Assert.NotSame(first, provider.GetLimiter(key with { Partition = "other-org" }, new RateLimitSettings(16, Window, 16, TimeSpan.Zero, 10)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void A_rule_refuses_a_ceiling_outside_one_to_the_hard_limit(int limit)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RateLimitRule("photoshop", "POST", Window, 15, 16, limit));
        Assert.Contains("hard limit, 16", e.Message);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(1);
        }
    }
}

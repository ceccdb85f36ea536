using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Policies;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Conduit.Redis;

/// <summary>
/// One limit shared through Redis: RedisRateLimiting's sliding window, adapted to what a generated client's
/// pipeline expects of a limiter. Callers wait in a first-in, first-out queue of bounded length; one pump per
/// limiter asks Redis for the first caller's permits and, when refused, sleeps until the oldest permit in
/// Redis leaves the window. A 429 seen by any process holds every process back (see
/// <see cref="RedisRateLimiterProvider.Throttled"/>). While Redis is unavailable the provider's
/// <see cref="RedisUnavailableBehavior"/> applies.
/// </summary>
internal sealed class RedisSharedRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Nothing = new Refusal(true, null);
    private static readonly RateLimitLease QueueFull = new Refusal(false, "queue-full");
    private static readonly RateLimitLease NotWithoutWaiting = new Refusal(false, "redis-needs-acquire-async");

    private readonly RedisRateLimiterProvider _provider;
    private readonly RedisSlidingWindowRateLimiter<string> _redis;
    private readonly RedisKey _windowKey;
    private readonly TimeSpan _span;

    /// <summary>How long after its permit's stamp a request may arrive and still be covered by it: margin plus send allowance.</summary>
    private readonly TimeSpan _covered;
    private readonly TimeProvider _time;
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly CancellationTokenSource _stop = new();
    private CancellationTokenSource? _sleep;
    private int _queuedPermits;
    private bool _pumping;
    private long _holdUntil;
    private long _lastActivity;
    private long _successful;
    private long _failed;
    private int _fallbackOutage;
    private int _chargedOutage;
    private bool _disposed;

    public RedisSharedRateLimiter(RedisRateLimiterProvider provider, RateLimitKey key, RateLimitSettings settings, string id)
    {
        _provider = provider;
        Key = key;
        Settings = settings;
        _time = provider.Time;
        _covered = settings.Margin + provider.Options.SendAllowance;
        _span = settings.Window + _covered;
        _redis = new RedisSlidingWindowRateLimiter<string>(id, new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitLimit,
            Window = _span,
            ConnectionMultiplexerFactory = () => provider.Connection,
        });

        _windowKey = WindowKey(id);
        Local = new SlidingLogRateLimiter(
            settings with { PermitLimit = Math.Max(1, (int)Math.Floor(settings.PermitLimit * Math.Max(provider.Options.LocalShare, 0))) },
            _time);
        _lastActivity = _time.GetTimestamp();
    }

    /// <summary>The name of the sorted set of grant times in which RedisRateLimiting keeps the window of limit <paramref name="id"/>.</summary>
    internal static string WindowKey(string id) => "rl:sw:{" + id + "}";

    /// <summary>The limit this limiter keeps.</summary>
    public RateLimitKey Key { get; }

    /// <summary>Its size.</summary>
    public RateLimitSettings Settings { get; }

    /// <summary>The in-process limiter used while Redis is unavailable with <see cref="RedisUnavailableBehavior.FallBackToLocalShare"/>.</summary>
    internal SlidingLogRateLimiter Local { get; }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count == 0 && !_pumping ? _time.GetElapsedTime(_lastActivity) : null;
            }
        }
    }

    /// <summary>Grants nothing, in this process, for <paramref name="duration"/> from now.</summary>
    public void HoldFor(TimeSpan duration)
    {
        var until = _time.GetTimestamp() + Ticks(duration);
        lock (_lock)
        {
            _holdUntil = Math.Max(_holdUntil, until);
        }

        Local.HoldFor(duration);
    }

    /// <inheritdoc/>
    /// <remarks>Available permits are not known without asking Redis, so they read 0.</remarks>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = 0,
                CurrentQueuedCount = _queuedPermits,
                TotalFailedLeases = _failed,
                TotalSuccessfulLeases = _successful,
            };
        }
    }

    /// <inheritdoc/>
    /// <remarks>Redis cannot be asked without waiting: this grants only zero permits, or permits of the local share while Redis is unavailable.</remarks>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckCount(permitCount);
        if (permitCount == 0)
        {
            return Nothing;
        }

        if (!_provider.Health.IsAvailable(out var outage) && _provider.Options.WhenUnavailable == RedisUnavailableBehavior.FallBackToLocalShare)
        {
            EnterFallback(outage);
            return Local.AttemptAcquire(permitCount);
        }

        return NotWithoutWaiting;
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckCount(permitCount);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        if (permitCount == 0)
        {
            return new ValueTask<RateLimitLease>(Nothing);
        }

        if (!_provider.Health.IsAvailable(out var outage))
        {
            return WhileUnavailable(permitCount, outage, cancellationToken);
        }

        Waiter waiter;
        var start = false;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queuedPermits + permitCount > Settings.QueueLimit)
            {
                _failed++;
                return new ValueTask<RateLimitLease>(QueueFull);
            }

            waiter = new Waiter(this, permitCount, cancellationToken);
            waiter.Node = _queue.AddLast(waiter);
            _queuedPermits += permitCount;
            if (!_pumping)
            {
                _pumping = start = true;
            }
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
        }

        if (start)
        {
            _ = PumpAsync();
        }

        return new ValueTask<RateLimitLease>(waiter.Task);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        List<Waiter>? abandoned = null;
        lock (_lock)
        {
            if (disposing && !_disposed)
            {
                _disposed = true;
                abandoned = [.. _queue];
                _queue.Clear();
                _queuedPermits = 0;
            }
        }

        if (abandoned is null)
        {
            return;
        }

        _stop.Cancel();
        foreach (var waiter in abandoned)
        {
            waiter.Registration.Dispose();
            waiter.TrySetResult(new Refusal(false, "disposed"));
        }

        _redis.Dispose();
        Local.Dispose();
        _stop.Dispose();
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void CheckCount(int permitCount)
    {
        if (permitCount < 0 || permitCount > Settings.PermitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A single request may ask for 0 to {Settings.PermitLimit} permits.");
        }
    }

    /// <summary>A call that needs a permit while Redis is unavailable: the provider's chosen behaviour.</summary>
    private ValueTask<RateLimitLease> WhileUnavailable(int permitCount, int outage, CancellationToken cancellationToken)
    {
        if (_provider.Options.WhenUnavailable == RedisUnavailableBehavior.FailFast)
        {
            Interlocked.Increment(ref _failed);
            return ValueTask.FromException<RateLimitLease>(_provider.Unavailable(Key));
        }

        EnterFallback(outage);
        return Local.AcquireAsync(permitCount, cancellationToken);
    }

    /// <summary>
    /// Once per outage: the local share grants nothing for one span, so whatever Redis granted (to any
    /// process) before it became unavailable has left the service's window before local permits go out.
    /// </summary>
    private void EnterFallback(int outage)
    {
        lock (_lock)
        {
            if (_fallbackOutage == outage)
            {
                return;
            }

            _fallbackOutage = outage;
        }

        Local.HoldFor(_span);
    }

    private async Task PumpAsync()
    {
        while (true)
        {
            Waiter? head;
            long hold;
            lock (_lock)
            {
                head = _queue.First?.Value;
                if (head is null || _disposed)
                {
                    _pumping = false;
                    _lastActivity = _time.GetTimestamp();
                    return;
                }

                hold = _holdUntil - _time.GetTimestamp();
            }

            try
            {
                if (hold > 0)
                {
                    await SleepAsync(TimeSpan.FromSeconds(hold / (double)_time.TimestampFrequency)).ConfigureAwait(false);
                    continue;
                }

                if (!_provider.Health.IsAvailable(out var outage))
                {
                    HandOver(outage);
                    continue;
                }

                await ChargeFallbackAsync(outage).ConfigureAwait(false);
                var wanted = Wanted();
                if (wanted == 0)
                {
                    continue; // The callers gave up meanwhile; the loop ends when the queue is empty.
                }

                var (refused, retryAfter) = await AskAsync(wanted).ConfigureAwait(false);
                if (refused)
                {
                    await SleepAsync(retryAfter ?? await UntilFreeAsync().ConfigureAwait(false)).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever failed (a lost connection, a timeout, an error from Redis), the callers must not be
                // left waiting: Redis counts as unavailable and the chosen behaviour takes them over.
                _provider.Health.MarkDown(e);
            }
        }
    }

    /// <summary>Permits still owed to the waiting callers, at most one window's worth (one Redis batch).</summary>
    private int Wanted()
    {
        lock (_lock)
        {
            var wanted = 0;
            foreach (var waiter in _queue)
            {
                wanted += waiter.Permits - waiter.Granted;
                if (wanted >= Settings.PermitLimit)
                {
                    return Settings.PermitLimit;
                }
            }

            return wanted;
        }
    }

    /// <summary>
    /// Asks Redis for <paramref name="count"/> permits at once: RedisRateLimiting's sliding window enters one
    /// permit per call, so the calls go out together and StackExchange.Redis pipelines them on one connection
    /// (one round trip, however many callers wait). Each permit granted goes to the callers in order.
    /// Returns whether Redis refused any (the callers left wait for the window), with a refusal's retry-after:
    /// RedisRateLimiting's sliding-window leases carry none of their own (only its RATELIMIT_* names, never
    /// <see cref="MetadataName.RetryAfter"/>), but when one does, it is used.
    /// </summary>
    private async Task<(bool Refused, TimeSpan? RetryAfter)> AskAsync(int count)
    {
        var asked = _time.GetTimestamp();
        var calls = new Task<RateLimitLease>[count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = _redis.AcquireAsync(1, CancellationToken.None).AsTask();
        }

        var refused = false;
        TimeSpan? retryAfter = null;
        try
        {
            await Task.WhenAll(calls).WaitAsync(_provider.Options.OperationTimeout, _time, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            // Every permit Redis granted is handed out, even when another call of the batch failed or timed out:
            // a granted permit is counted in Redis whether it is used or not.
            foreach (var call in calls)
            {
                if (!call.IsCompletedSuccessfully)
                {
                    continue;
                }

                using var lease = call.Result;
                if (lease.IsAcquired)
                {
                    Grant(asked);
                }
                else
                {
                    refused = true;
                    if (lease.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds))
                    {
                        retryAfter = TimeSpan.FromSeconds(seconds);
                    }
                }
            }
        }

        return (refused, retryAfter);
    }

    /// <summary>One permit from Redis for the first caller; the caller gets its lease when it has all it asked for.</summary>
    private void Grant(long asked)
    {
        Waiter? served = null;
        lock (_lock)
        {
            if (_queue.First?.Value is not { } head)
            {
                return; // The caller gave up while Redis granted: the permit stays counted, unused.
            }

            if (++head.Granted < head.Permits)
            {
                return;
            }

            _queue.RemoveFirst();
            head.Node = null;
            _queuedPermits -= head.Permits;
            _successful++;
            _lastActivity = _time.GetTimestamp();
            served = head;
        }

        served.Registration.Dispose();
        served.TrySetResult(new Granted(this, asked));
    }

    /// <summary>How long until the oldest permit in Redis leaves the window (at least 1 ms, at most one span).</summary>
    private async Task<TimeSpan> UntilFreeAsync()
    {
        var oldest = await _provider.Connection.GetDatabase().SortedSetRangeByRankWithScoresAsync(_windowKey, 0, 0)
            .WaitAsync(_provider.Options.OperationTimeout, _time, _stop.Token).ConfigureAwait(false);
        if (oldest.Length == 0)
        {
            return TimeSpan.FromMilliseconds(1);
        }

        // RedisRateLimiting stamps permits with the granting machine's wall clock, in Unix seconds.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var wait = TimeSpan.FromSeconds(oldest[0].Score + _span.TotalSeconds - now) + TimeSpan.FromMilliseconds(1);
        return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > _span ? _span : wait;
    }

    /// <summary>
    /// Back on Redis after an outage in which this process granted permits of its local share: those permits
    /// are entered in Redis (as far as the window has room), so that the other processes count them too.
    /// </summary>
    private async Task ChargeFallbackAsync(int outage)
    {
        int charge;
        lock (_lock)
        {
            if (_fallbackOutage <= _chargedOutage)
            {
                return;
            }

            _chargedOutage = _fallbackOutage;
            var stats = Local.GetStatistics();
            charge = Local.Settings.PermitLimit - (int)(stats?.CurrentAvailablePermits ?? 0);
        }

        for (var i = 0; i < charge && outage == _chargedOutage; i++)
        {
            using var lease = await _redis.AcquireAsync(1, CancellationToken.None).AsTask()
                .WaitAsync(_provider.Options.OperationTimeout, _time, _stop.Token).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                return;
            }
        }
    }

    /// <summary>Redis became unavailable with callers waiting: they fail at once, or move to the local share.</summary>
    private void HandOver(int outage)
    {
        List<Waiter> waiting;
        lock (_lock)
        {
            waiting = [.. _queue];
            _queue.Clear();
            _queuedPermits = 0;
            foreach (var waiter in waiting)
            {
                waiter.Node = null;
            }
        }

        var failFast = _provider.Options.WhenUnavailable == RedisUnavailableBehavior.FailFast;
        if (!failFast)
        {
            EnterFallback(outage);
        }

        foreach (var waiter in waiting)
        {
            waiter.Registration.Dispose();
            if (failFast)
            {
                Interlocked.Increment(ref _failed);
                waiter.TrySetException(_provider.Unavailable(Key));
            }
            else
            {
                _ = waiter.ContinueLocallyAsync(Local);
            }
        }
    }

    /// <summary>
    /// A request released later than the margin and send allowance after its permit was asked for may have
    /// reached the service after its permit's entry stopped covering it: it is entered in the window again, so
    /// that it counts until one window (plus margin) after the answer, as the in-process limiter counts it. A
    /// permit's entry covers a request that arrives up to <c>Margin + SendAllowance</c> after the entry's stamp,
    /// so the new entry is stamped that much before the answer: it covers an arrival at any time up to the
    /// answer, and leaves the window no later than needed. The entry is added outright (ZADD on
    /// RedisRateLimiting's sorted set), even past the limit: it only makes later callers wait longer.
    /// </summary>
    private async Task CountReleaseAsync()
    {
        Interlocked.Increment(ref _provider.Recounts);
        try
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var database = _provider.Connection.GetDatabase();
            var stamp = now - _covered.TotalMilliseconds;
            var added = database.SortedSetAddAsync(_windowKey, Guid.NewGuid().ToString("N"), stamp / 1000.0);
            var kept = database.KeyExpireAsync(_windowKey, DateTime.UnixEpoch.AddMilliseconds(now + _span.TotalMilliseconds + 1));
            await Task.WhenAll(added, kept).WaitAsync(_provider.Options.OperationTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Redis is unavailable: the next acquisition finds out, and a fallback first waits one span.
            _provider.Health.MarkDown(e);
        }
    }

    /// <summary>Ends the pump's sleep early: Redis was lost, and waiting callers must be handed over now.</summary>
    internal void Wake()
    {
        CancellationTokenSource? sleep;
        lock (_lock)
        {
            sleep = _sleep;
        }

        try
        {
            sleep?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The sleep had ended.
        }
    }

    private async Task SleepAsync(TimeSpan duration)
    {
        var sleep = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        lock (_lock)
        {
            _sleep = sleep;
        }

        try
        {
            await Task.Delay(duration, _time, sleep.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // Woken early.
        }
        finally
        {
            lock (_lock)
            {
                _sleep = null;
            }

            sleep.Dispose();
        }
    }

    private void Remove(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return;
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;
            _queuedPermits -= waiter.Permits;
        }
    }

    /// <summary>A caller waiting for permits.</summary>
    private sealed class Waiter(RedisSharedRateLimiter owner, int permits, CancellationToken cancellationToken)
        : TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Permits { get; } = permits;

        public int Granted { get; set; }

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }

        public void Cancel(CancellationToken token)
        {
            owner.Remove(this);
            TrySetCanceled(token);
        }

        /// <summary>Waits for the local share instead, keeping the caller's cancellation.</summary>
        public async Task ContinueLocallyAsync(SlidingLogRateLimiter local)
        {
            try
            {
                TrySetResult(await local.AcquireAsync(Permits, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException e)
            {
                TrySetCanceled(e.CancellationToken);
            }
            catch (ObjectDisposedException)
            {
                TrySetResult(new Refusal(false, "disposed"));
            }
        }
    }

    /// <summary>Permits granted through Redis: releasing them late counts them again until a window after the release (see <see cref="CountReleaseAsync"/>).</summary>
    private sealed class Granted(RedisSharedRateLimiter owner, long asked) : RateLimitLease
    {
        private int _released;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0
                && owner._time.GetElapsedTime(asked) > owner._covered)
            {
                _ = owner.CountReleaseAsync();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A lease with nothing to give back: a refusal with its reason, or zero permits.</summary>
    private sealed class Refusal(bool acquired, string? reason) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => reason is null ? [] : [MetadataName.ReasonPhrase.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = reason is not null && metadataName == MetadataName.ReasonPhrase.Name ? reason : null;
            return metadata is not null;
        }

        protected override void Dispose(bool disposing) => base.Dispose(disposing);
    }
}

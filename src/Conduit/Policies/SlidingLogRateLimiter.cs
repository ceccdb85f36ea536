using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace Conduit.Policies;

/// <summary>
/// A strict rate limiter for a service that counts requests as they arrive. A permit counts from the
/// moment it is granted until one <see cref="RateLimitSettings.Window"/> (plus
/// <see cref="RateLimitSettings.Margin"/>) after its lease is released, which the caller does when the
/// service has answered. Since the service received the request before it answered, every request the
/// service can still see in its own window is still counted here, however long the request took to
/// arrive: at most <see cref="RateLimitSettings.PermitLimit"/> ever reach it within one window, even for
/// bursts over slow or uneven connections. Callers that find no permit wait in a first-in, first-out
/// queue of bounded length; time is read through a <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingLogRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Nothing = new Plain(true, null, null);
    private static readonly RateLimitLease QueueFull = new Plain(false, null, "queue-full");

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long _span;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly ITimer _timer;
    private long[] _released = new long[16];
    private int _releasedHead;
    private int _releasedCount;
    private int _inFlight;
    private int _queuedPermits;
    private long _holdUntil;
    private long _timerDue = long.MaxValue;
    private long _lastActivity;
    private long _successful;
    private long _failed;
    private bool _disposed;

    /// <summary>Creates a limiter.</summary>
    /// <param name="settings">Its size: permits per window, the window, the safety margin and the queue limit.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public SlidingLogRateLimiter(RateLimitSettings settings, TimeProvider? timeProvider = null)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _time = timeProvider ?? TimeProvider.System;
        _span = Ticks(settings.Window + settings.Margin);
        _lastActivity = _time.GetTimestamp();
        _timer = _time.CreateTimer(static state => ((SlidingLogRateLimiter)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The limiter's size.</summary>
    public RateLimitSettings Settings { get; }

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count == 0 && _inFlight == 0 ? _time.GetElapsedTime(_lastActivity) : null;
            }
        }
    }

    /// <summary>
    /// Grants nothing for <paramref name="duration"/>: the service said it is over its limit (a 429 with
    /// <c>Retry-After</c>), so every caller of this limiter waits instead of being refused again.
    /// </summary>
    /// <param name="duration">How long to hold back, from now.</param>
    public void HoldFor(TimeSpan duration)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _holdUntil = Math.Max(_holdUntil, now + Ticks(duration));
            ScheduleLocked(now);
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            ForgetLocked(now);
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = now < _holdUntil ? 0 : Math.Max(0, Settings.PermitLimit - _inFlight - _releasedCount),
                CurrentQueuedCount = _queuedPermits,
                TotalFailedLeases = _failed,
                TotalSuccessfulLeases = _successful,
            };
        }
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckCount(permitCount);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            if (_queue.Count == 0 && TryGrantLocked(permitCount, now))
            {
                return Lease(permitCount);
            }

            _failed++;
            var next = NextGrantLocked(permitCount, now);
            return new Plain(false, next == long.MaxValue ? null : Delay(next - now), "no-permit");
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckCount(permitCount);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<RateLimitLease>(cancellationToken);
        }

        Waiter waiter;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _time.GetTimestamp();
            if (_queue.Count == 0 && TryGrantLocked(permitCount, now))
            {
                return new ValueTask<RateLimitLease>(Lease(permitCount));
            }

            if (_queuedPermits + permitCount > Settings.QueueLimit)
            {
                _failed++;
                return new ValueTask<RateLimitLease>(QueueFull);
            }

            waiter = new Waiter(this, permitCount);
            waiter.Node = _queue.AddLast(waiter);
            _queuedPermits += permitCount;
            ScheduleLocked(now);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.UnsafeRegister(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
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
                abandoned = new List<Waiter>(_queue);
                _queue.Clear();
                _queuedPermits = 0;
            }
        }

        if (abandoned is null)
        {
            return;
        }

        _timer.Dispose();
        foreach (var waiter in abandoned)
        {
            waiter.Cancellation.Dispose();
            waiter.TrySetResult(new Plain(false, null, "disposed"));
        }
    }

    private RateLimitLease Lease(int permits) => permits == 0 ? Nothing : new Grant(this, permits);

    /// <summary>A timestamp difference as a duration (zero when it is not positive).</summary>
    private TimeSpan Delay(long ticks) => ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)(ticks * (double)TimeSpan.TicksPerSecond / _time.TimestampFrequency));

    /// <summary>A duration as a timestamp difference.</summary>
    private long Ticks(TimeSpan span) => (long)(span.Ticks * (double)_time.TimestampFrequency / TimeSpan.TicksPerSecond);

    private void CheckCount(int permitCount)
    {
        if (permitCount < 0 || permitCount > Settings.PermitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"A single request may ask for 0 to {Settings.PermitLimit} permits.");
        }
    }

    /// <summary>Drops the releases that are a whole span old: they no longer count.</summary>
    private void ForgetLocked(long now)
    {
        while (_releasedCount > 0 && now - _released[_releasedHead] >= _span)
        {
            _releasedHead = (_releasedHead + 1) % _released.Length;
            _releasedCount--;
        }
    }

    /// <summary>The earliest time <paramref name="permits"/> could be granted, ignoring the queue; <see cref="long.MaxValue"/> until a lease is released.</summary>
    private long NextGrantLocked(int permits, long now)
    {
        ForgetLocked(now);
        var earliest = Math.Max(now, _holdUntil);
        var mustExpire = _inFlight + _releasedCount + permits - Settings.PermitLimit;
        if (mustExpire <= 0)
        {
            return earliest;
        }

        return mustExpire > _releasedCount
            ? long.MaxValue
            : Math.Max(earliest, _released[(_releasedHead + mustExpire - 1) % _released.Length] + _span);
    }

    private bool TryGrantLocked(int permits, long now)
    {
        if (NextGrantLocked(permits, now) > now)
        {
            return false;
        }

        _inFlight += permits;
        _lastActivity = now;
        _successful++;
        return true;
    }

    /// <summary>A lease came back: its permits count from now until a span has passed.</summary>
    private void Release(int permits)
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            _inFlight -= permits;
            _lastActivity = now;
            if (_releasedCount + permits > _released.Length)
            {
                var grown = new long[Math.Max(_released.Length * 2, _releasedCount + permits)];
                for (var i = 0; i < _releasedCount; i++)
                {
                    grown[i] = _released[(_releasedHead + i) % _released.Length];
                }

                (_released, _releasedHead) = (grown, 0);
            }

            for (var i = 0; i < permits; i++)
            {
                _released[(_releasedHead + _releasedCount++) % _released.Length] = now;
            }

            ScheduleLocked(now);
        }
    }

    /// <summary>Arms the timer for the moment the first waiter can be served, if that moment is known yet.</summary>
    private void ScheduleLocked(long now)
    {
        if (_queue.First is not { } first || _disposed)
        {
            return;
        }

        var due = NextGrantLocked(first.Value.Permits, now);
        if (due == long.MaxValue || (due >= _timerDue && _timerDue > now))
        {
            return;
        }

        _timerDue = due;
        _timer.Change(Delay(due - now), Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        List<Waiter>? served = null;
        lock (_lock)
        {
            _timerDue = long.MaxValue;
            var now = _time.GetTimestamp();
            while (_queue.First is { } first && TryGrantLocked(first.Value.Permits, now))
            {
                _queue.RemoveFirst();
                _queuedPermits -= first.Value.Permits;
                (served ??= new List<Waiter>()).Add(first.Value);
            }

            ScheduleLocked(now);
        }

        foreach (var waiter in served ?? [])
        {
            waiter.Cancellation.Dispose();
            if (!waiter.TrySetResult(Lease(waiter.Permits)))
            {
                // Cancelled while being served: give the permits back at once.
                Release(waiter.Permits);
            }
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
            _queuedPermits -= waiter.Permits;
            ScheduleLocked(_time.GetTimestamp());
        }
    }

    /// <summary>A caller waiting for permits.</summary>
    private sealed class Waiter(SlidingLogRateLimiter owner, int permits) : TaskCompletionSource<RateLimitLease>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public int Permits { get; } = permits;

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        public void Cancel(CancellationToken token)
        {
            owner.Remove(this);
            TrySetCanceled(token);
        }
    }

    /// <summary>Granted permits: releasing the lease starts their last window.</summary>
    private sealed class Grant(SlidingLogRateLimiter owner, int permits) : RateLimitLease
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
            if (disposing && Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release(permits);
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A lease with nothing to give back: a refusal (with how long to wait, when known), or zero permits.</summary>
    private sealed class Plain(bool acquired, TimeSpan? retryAfter, string? reason) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames
        {
            get
            {
                if (retryAfter is not null)
                {
                    yield return MetadataName.RetryAfter.Name;
                }

                if (reason is not null)
                {
                    yield return MetadataName.ReasonPhrase.Name;
                }
            }
        }

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is not null && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = retryAfter.Value;
                return true;
            }

            if (reason is not null && metadataName == MetadataName.ReasonPhrase.Name)
            {
                metadata = reason;
                return true;
            }

            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing) => base.Dispose(disposing);
    }
}

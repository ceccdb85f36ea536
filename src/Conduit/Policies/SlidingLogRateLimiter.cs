using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;

namespace Conduit.Policies;

/// <summary>
/// A strict rate limiter: in <em>any</em> interval as long as <see cref="RateLimitSettings.Window"/> plus
/// <see cref="RateLimitSettings.Margin"/> it grants at most <see cref="RateLimitSettings.PermitLimit"/>
/// permits. It remembers when each of the last permits was granted (a sliding log), so unlike a fixed or
/// segmented window it never lets two bursts meet at a window's edge. Callers that find no permit wait in
/// a first-in, first-out queue of bounded length; time is read through a <see cref="TimeProvider"/>.
/// </summary>
public sealed class SlidingLogRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null, null);
    private static readonly RateLimitLease QueueFull = new Lease(false, null, "queue-full");

    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long[] _grants;
    private readonly long _span;
    private readonly LinkedList<Waiter> _queue = new();
    private readonly ITimer _timer;
    private int _oldest;
    private int _count;
    private int _queuedPermits;
    private long _holdUntil;
    private long _timerDue = long.MaxValue;
    private long _lastGrant;
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
        _grants = new long[settings.PermitLimit];
        _span = Ticks(settings.Window + settings.Margin);
        _lastGrant = _time.GetTimestamp();
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
                return _queue.Count == 0 ? _time.GetElapsedTime(_lastGrant) : null;
            }
        }
    }

    /// <summary>
    /// Grants nothing before <paramref name="until"/>: the service said it is over its limit (a 429 with
    /// <c>Retry-After</c>), so every caller of this limiter waits instead of being refused again.
    /// </summary>
    /// <param name="until">How long to hold back, from now.</param>
    public void HoldFor(TimeSpan until)
    {
        lock (_lock)
        {
            var end = _time.GetTimestamp() + Ticks(until);
            if (end > _holdUntil)
            {
                _holdUntil = end;
                ScheduleLocked(_time.GetTimestamp());
            }
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = now < _holdUntil ? 0 : Settings.PermitLimit - InWindowLocked(now),
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
                return Granted;
            }

            _failed++;
            return new Lease(false, Delay(NextGrantLocked(permitCount, now) - now), "no-permit");
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
                return new ValueTask<RateLimitLease>(Granted);
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
            waiter.TrySetResult(new Lease(false, null, "disposed"));
        }
    }

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

    /// <summary>How many of the remembered grants are still inside the span ending now.</summary>
    private int InWindowLocked(long now)
    {
        var inWindow = 0;
        for (var i = 0; i < _count; i++)
        {
            if (now - _grants[(_oldest + i) % _grants.Length] < _span)
            {
                inWindow++;
            }
        }

        return inWindow;
    }

    /// <summary>The earliest time <paramref name="permits"/> could be granted, ignoring the queue.</summary>
    private long NextGrantLocked(int permits, long now)
    {
        var earliest = Math.Max(now, _holdUntil);
        var mustLeave = _count + permits - _grants.Length;
        if (mustLeave > 0)
        {
            // The mustLeave-th oldest grant has to fall out of the span first.
            earliest = Math.Max(earliest, _grants[(_oldest + mustLeave - 1) % _grants.Length] + _span);
        }

        return earliest;
    }

    private bool TryGrantLocked(int permits, long now)
    {
        if (NextGrantLocked(permits, now) > now)
        {
            return false;
        }

        for (var i = 0; i < permits; i++)
        {
            if (_count == _grants.Length)
            {
                _oldest = (_oldest + 1) % _grants.Length;
                _count--;
            }

            _grants[(_oldest + _count) % _grants.Length] = now;
            _count++;
        }

        _lastGrant = now;
        _successful++;
        return true;
    }

    /// <summary>Arms the timer for the moment the first waiter can be served.</summary>
    private void ScheduleLocked(long now)
    {
        if (_queue.First is not { } first)
        {
            return;
        }

        var due = NextGrantLocked(first.Value.Permits, now);
        if (due >= _timerDue && _timerDue > now)
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

        // A waiter cancelled while being served keeps its permit spent, which errs on the side of the service.
        foreach (var waiter in served ?? [])
        {
            waiter.Cancellation.Dispose();
            waiter.TrySetResult(Granted);
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

    /// <summary>A lease: granted permits need no release, since they expire with the window.</summary>
    private sealed class Lease(bool acquired, TimeSpan? retryAfter, string? reason) : RateLimitLease
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

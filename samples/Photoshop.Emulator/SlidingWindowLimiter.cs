using System;
using System.Collections.Generic;
using System.Threading;

namespace Photoshop.Emulator;

/// <summary>
/// The service's rate limits: per (group, method), a sliding window that remembers when each accepted
/// request arrived. A request is refused when the group already accepted its hard limit within the last
/// window; refused requests are not remembered, so they do not push the window on.
/// </summary>
internal sealed class SlidingWindowLimiter
{
    private readonly Dictionary<(string Group, string Method), int> _limits = [];
    private readonly Dictionary<(string Group, string Method), Queue<long>> _accepted = [];
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    /// <summary>Creates a limiter with the options' hard limits, window and clock.</summary>
    public SlidingWindowLimiter(EmulatorOptions options)
    {
        foreach (var ((group, method), limit) in options.HardLimits)
        {
            _limits[(group, method.ToUpperInvariant())] = limit;
        }

        _window = options.RateLimitWindow;
        _time = options.TimeProvider;
    }

    /// <summary>
    /// Counts a request that arrives now. Returns <see langword="null"/> when it is accepted, otherwise how
    /// long until the oldest counted request leaves the window (when the next one would be accepted).
    /// </summary>
    public TimeSpan? TryAcquire(string group, string method)
    {
        var key = (group, method.ToUpperInvariant());
        if (!_limits.TryGetValue(key, out var limit))
        {
            return null;
        }

        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (!_accepted.TryGetValue(key, out var arrivals))
            {
                _accepted[key] = arrivals = new Queue<long>();
            }

            while (arrivals.Count > 0 && _time.GetElapsedTime(arrivals.Peek(), now) >= _window)
            {
                arrivals.Dequeue();
            }

            if (arrivals.Count >= limit)
            {
                return arrivals.Count == 0 ? _window : _window - _time.GetElapsedTime(arrivals.Peek(), now);
            }

            arrivals.Enqueue(now);
            return null;
        }
    }
}

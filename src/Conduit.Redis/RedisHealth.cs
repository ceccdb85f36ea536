using System;
using StackExchange.Redis;

namespace Conduit.Redis;

/// <summary>
/// Whether a provider's connection is usable, shared by all its limiters. Redis counts as unavailable from the
/// first failure (a lost connection, an error, a call slower than <see cref="RedisRateLimitOptions.OperationTimeout"/>)
/// until <see cref="RedisRateLimitOptions.RetryInterval"/> has passed and the connection is back. Each
/// unavailable spell is an outage with its own number, so a limiter enters its fallback once per outage.
/// </summary>
internal sealed class RedisHealth(IConnectionMultiplexer connection, TimeProvider time, TimeSpan retryInterval)
{
    private readonly object _lock = new();
    private bool _down;
    private long _retryAt;
    private int _outage;
    private Exception? _cause;

    /// <summary>What went wrong last, for error messages.</summary>
    public Exception? Cause
    {
        get
        {
            lock (_lock)
            {
                return _cause;
            }
        }
    }

    /// <summary>How many times Redis became unavailable.</summary>
    public int Outages
    {
        get
        {
            lock (_lock)
            {
                return _outage;
            }
        }
    }

    /// <summary>Whether Redis may be asked now; <paramref name="outage"/> numbers the latest outage (0 before any).</summary>
    public bool IsAvailable(out int outage)
    {
        var connected = connection.IsConnected;
        lock (_lock)
        {
            if (_down && (time.GetTimestamp() < _retryAt || !connected))
            {
                outage = _outage;
                return false;
            }

            _down = false;
            if (!connected)
            {
                MarkDownLocked(new RedisException("the connection to Redis is down"));
                outage = _outage;
                return false;
            }

            outage = _outage;
            return true;
        }
    }

    /// <summary>Redis failed a call: it is unavailable until the retry interval has passed.</summary>
    public void MarkDown(Exception cause)
    {
        lock (_lock)
        {
            MarkDownLocked(cause);
        }
    }

    private void MarkDownLocked(Exception cause)
    {
        if (!_down)
        {
            _down = true;
            _outage++;
        }

        _cause = cause;
        _retryAt = time.GetTimestamp() + (long)(retryInterval.TotalSeconds * time.TimestampFrequency);
    }
}

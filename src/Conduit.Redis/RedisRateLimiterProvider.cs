using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Linq;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Policies;
using StackExchange.Redis;

namespace Conduit.Redis;

/// <summary>
/// Rate limiters kept in Redis, so that every process using the same credentials (and the same
/// <see cref="RedisRateLimitOptions.KeyPrefix"/> and <see cref="ConduitClientOptions.RateLimitPartition"/>)
/// draws from one limit per (group, method). Set it as <see cref="ConduitClientOptions.RateLimiters"/>, or
/// register it with <c>services.AddConduitRedisRateLimits(...)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each limit is RedisRateLimiting's sliding window (a sorted set of grant times in Redis) sized from the same
/// policy data as the in-process limiter: <see cref="RateLimitSettings.PermitLimit"/> per
/// <see cref="RateLimitSettings.Window"/> + <see cref="RateLimitSettings.Margin"/> +
/// <see cref="RedisRateLimitOptions.SendAllowance"/>. Callers queue in their own process, first in, first out,
/// up to <see cref="RateLimitSettings.QueueLimit"/>.
/// </para>
/// <para>
/// A 429 seen by one process holds the limit back in every process (a Redis channel carries it). While Redis is
/// unavailable, <see cref="RedisRateLimitOptions.WhenUnavailable"/> decides: fail at once, or go on under a local
/// share of the limit. No call ever waits on Redis longer than <see cref="RedisRateLimitOptions.OperationTimeout"/>.
/// </para>
/// </remarks>
public sealed class RedisRateLimiterProvider : RateLimiterProvider, IDisposable
{
    private readonly ConcurrentDictionary<RateLimitKey, RedisSharedRateLimiter> _limiters = new();
    private readonly ConcurrentDictionary<RateLimitKey, long> _holds = new();
    private readonly bool _ownsConnection;
    private readonly RedisChannel _throttled;
    private readonly string _endpoint;
    private bool _disposed;

    /// <summary>How many late releases were counted again (see <see cref="RedisRateLimitOptions.SendAllowance"/>).</summary>
    internal int Recounts;

    /// <summary>Creates a provider, connecting to Redis unless <see cref="RedisRateLimitOptions.Connection"/> is given.</summary>
    /// <param name="options">Where Redis is and what to do while it is unavailable.</param>
    /// <param name="timeProvider">The clock of waits and holds; <see cref="TimeProvider.System"/> when <see langword="null"/>. The windows in Redis follow the machines' wall clocks.</param>
    /// <exception cref="ArgumentException">The options cannot work; the message says what to change.</exception>
    public RedisRateLimiterProvider(RedisRateLimitOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Time = timeProvider ?? TimeProvider.System;
        if (options.Connection is { } connection)
        {
            Connection = connection;
        }
        else
        {
            var configuration = ConfigurationOptions.Parse(options.Configuration!);
            var timeout = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);
            configuration.AbortOnConnectFail = false;
            configuration.ConnectTimeout = Math.Min(configuration.ConnectTimeout, timeout);
            configuration.SyncTimeout = Math.Min(configuration.SyncTimeout, timeout);
            configuration.AsyncTimeout = Math.Min(configuration.AsyncTimeout, timeout);
            Connection = ConnectionMultiplexer.Connect(configuration);
            _ownsConnection = true;
        }

        _endpoint = Connection.GetEndPoints().Length == 0
            ? options.Configuration ?? "(no endpoint)"
            : string.Join(", ", Connection.GetEndPoints().Select(e => e.ToString()));
        Health = new RedisHealth(Connection, Time, options.RetryInterval);
        Connection.ConnectionFailed += OnConnectionFailed;
        _throttled = RedisChannel.Literal(options.KeyPrefix + ":throttled");
        Subscribed = SubscribeAsync();
    }

    /// <summary>The connection the limits are kept on.</summary>
    public IConnectionMultiplexer Connection { get; }

    /// <summary>The provider's settings.</summary>
    internal RedisRateLimitOptions Options { get; }

    internal TimeProvider Time { get; }

    internal RedisHealth Health { get; }

    /// <summary>Completes when the provider listens for other processes' 429s (or could not, Redis being down).</summary>
    internal Task Subscribed { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The limiter exists with another size in this process.</exception>
    /// <exception cref="ObjectDisposedException">The provider was disposed.</exception>
    public override RateLimiter GetLimiter(RateLimitKey key, RateLimitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var limiter = _limiters.GetOrAdd(key, static (key, state) => state.provider.Create(key, state.settings), (provider: this, settings));
        if (limiter.Settings != settings)
        {
            throw new InvalidOperationException(
                $"Two clients ask for the limiter {key} with different sizes ({limiter.Settings} and {settings}). "
                + "One limit cannot have two sizes: give the clients the same limits, or different rate-limit partitions if they use different credentials.");
        }

        return limiter;
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Holds this process's limiter at once and tells every other process through Redis (best effort: a process
    /// that misses it meets the 429 itself and holds then).
    /// </remarks>
    public override void Throttled(RateLimitKey key, TimeSpan retryAfter)
    {
        Hold(key, retryAfter);
        if (!Health.IsAvailable(out _))
        {
            return;
        }

        var message = string.Join('\n', key.Partition, key.Group, key.Method, ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        _ = PublishAsync(message);
    }

    /// <summary>Disposes the limiters (waiting callers are refused) and, if the provider opened it, the connection.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Connection.ConnectionFailed -= OnConnectionFailed;
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }

        if (_ownsConnection)
        {
            Connection.Dispose();
        }
        else
        {
            _ = Connection.GetSubscriber().UnsubscribeAsync(_throttled, null, CommandFlags.FireAndForget);
        }
    }

    /// <summary>The error a call gets under <see cref="RedisUnavailableBehavior.FailFast"/>.</summary>
    internal RedisRateLimitUnavailableException Unavailable(RateLimitKey key) => new(key, _endpoint, Health.Cause);

    /// <summary>The Redis name of a limit: the prefix, then partition, group and method.</summary>
    internal string IdOf(RateLimitKey key) => $"{Options.KeyPrefix}:{key.Partition}:{key.Group}:{key.Method}";

    private RedisSharedRateLimiter Create(RateLimitKey key, RateLimitSettings settings)
    {
        var limiter = new RedisSharedRateLimiter(this, key, settings, IdOf(key));
        if (_holds.TryGetValue(key, out var until) && Time.GetTimestamp() < until)
        {
            limiter.HoldFor(Time.GetElapsedTime(Time.GetTimestamp(), until));
        }

        return limiter;
    }

    private void Hold(RateLimitKey key, TimeSpan duration)
    {
        var until = Time.GetTimestamp() + (long)(duration.TotalSeconds * Time.TimestampFrequency);
        _holds.AddOrUpdate(key, until, (_, old) => Math.Max(old, until));
        if (_limiters.TryGetValue(key, out var limiter))
        {
            limiter.HoldFor(duration);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Interactive)
        {
            return;
        }

        Health.MarkDown(e.Exception ?? new RedisException("the connection to Redis was lost: " + e.FailureType));
        foreach (var limiter in _limiters.Values)
        {
            limiter.Wake();
        }
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await Connection.GetSubscriber().SubscribeAsync(_throttled, (_, value) => OnThrottledElsewhere(value)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis is down at start: the connection subscribes again when it comes back.
        }
    }

    private async Task PublishAsync(string message)
    {
        try
        {
            await Connection.GetSubscriber().PublishAsync(_throttled, message).WaitAsync(Options.OperationTimeout, Time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Health.MarkDown(e);
        }
    }

    private void OnThrottledElsewhere(RedisValue value)
    {
        var parts = ((string?)value ?? "").Split('\n');
        if (parts.Length == 4 && long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0)
        {
            Hold(new RateLimitKey(parts[0], parts[1], parts[2]), TimeSpan.FromMilliseconds(milliseconds));
        }
    }
}

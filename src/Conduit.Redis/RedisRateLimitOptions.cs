using System;
using StackExchange.Redis;

namespace Conduit.Redis;

/// <summary>What a <see cref="RedisRateLimiterProvider"/> does while Redis cannot be reached or does not answer in time.</summary>
public enum RedisUnavailableBehavior
{
    /// <summary>Not chosen: a provider refuses to start until you choose one of the others.</summary>
    Unspecified = 0,

    /// <summary>
    /// Calls that need a permit throw <see cref="RedisRateLimitUnavailableException"/> at once, without being
    /// sent. Choose it when going over the service's limit is worse than a failed call, or when something
    /// above retries whole jobs.
    /// </summary>
    FailFast = 1,

    /// <summary>
    /// Calls go on under an in-process limiter sized at <see cref="RedisRateLimitOptions.LocalShare"/> of each
    /// limit, after one window of grace so that what Redis granted has left the service's window. Choose it
    /// when work must go on and you know how many processes share the credentials.
    /// </summary>
    FallBackToLocalShare = 2,
}

/// <summary>Settings of a <see cref="RedisRateLimiterProvider"/>.</summary>
public sealed class RedisRateLimitOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>"redis.internal:6379,password=..."</c>), used when
    /// <see cref="Connection"/> is not set. The provider then owns the connection and never aborts on a
    /// failed connect: it keeps retrying in the background while <see cref="WhenUnavailable"/> applies.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// A connection of your own (not disposed by the provider). Create it with
    /// <c>abortConnect=false</c> so that a provider can start while Redis is down.
    /// </summary>
    public IConnectionMultiplexer? Connection { get; set; }

    /// <summary>
    /// Prefix of every key and channel the provider uses. Processes share a limit when they use the same
    /// prefix, partition, group and method. Default <c>conduit</c>.
    /// </summary>
    public string KeyPrefix { get; set; } = "conduit";

    /// <summary>What happens while Redis is unreachable or slow. There is no default: choose.</summary>
    public required RedisUnavailableBehavior WhenUnavailable { get; set; }

    /// <summary>
    /// With <see cref="RedisUnavailableBehavior.FallBackToLocalShare"/>: the share of each limit this process
    /// uses on its own while Redis is unavailable, greater than 0 and at most 1. Give each process
    /// <c>1.0 / processes</c> (0.25 for four workers), less if their number varies.
    /// </summary>
    public double LocalShare { get; set; }

    /// <summary>
    /// How long one Redis call may take before Redis counts as unavailable (the call is not waited for any
    /// longer). Default 1 s; a healthy Redis on the same network answers in well under 1 ms, but a process's
    /// first call (connection, script load, JIT) can take a few hundred.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After Redis was found unavailable, how long the provider keeps to its chosen behaviour before it
    /// tries Redis again (and only once the connection is back). Default 5 s.
    /// </summary>
    public TimeSpan RetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Added to each window in Redis, on top of <see cref="ConduitClientOptions.RateLimitMargin"/>. Redis
    /// counts a permit from the moment it is granted, while the service counts the request from the moment it
    /// arrives: this covers the time between the two (sending, a new connection's handshake) and the
    /// difference between the clocks of the machines that share the limit. A request answered later than this
    /// after its permit was asked for is entered in Redis again when the answer arrives, so that it counts until
    /// one window after the answer (at the cost of one more entry). Default 250 ms.
    /// </summary>
    public TimeSpan SendAllowance { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Throws when the options cannot work, saying what to change.</summary>
    internal void Validate()
    {
        if (Connection is null && string.IsNullOrWhiteSpace(Configuration))
        {
            throw new ArgumentException("Set RedisRateLimitOptions.Configuration (such as \"localhost:6379\") or RedisRateLimitOptions.Connection.");
        }

        if (string.IsNullOrEmpty(KeyPrefix))
        {
            throw new ArgumentException("RedisRateLimitOptions.KeyPrefix cannot be empty.");
        }

        switch (WhenUnavailable)
        {
            case RedisUnavailableBehavior.FailFast:
                break;
            case RedisUnavailableBehavior.FallBackToLocalShare when LocalShare is > 0 and <= 1:
                break;
            case RedisUnavailableBehavior.FallBackToLocalShare:
                throw new ArgumentException(
                    $"RedisRateLimitOptions.LocalShare is {LocalShare}: with FallBackToLocalShare it must be greater than 0 and at most 1, "
                    + "the share of each limit one process may use while Redis is unavailable (1.0 / processes).");
            default:
                throw new ArgumentException(
                    "Choose RedisRateLimitOptions.WhenUnavailable: FailFast (calls throw while Redis is unavailable) "
                    + "or FallBackToLocalShare (calls go on under LocalShare of each limit). See docs/redis.md.");
        }

        if (OperationTimeout <= TimeSpan.Zero || RetryInterval <= TimeSpan.Zero || SendAllowance <= TimeSpan.Zero)
        {
            throw new ArgumentException("RedisRateLimitOptions.OperationTimeout, RetryInterval and SendAllowance must be positive.");
        }
    }
}

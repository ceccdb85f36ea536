using System;
using Conduit.Policies;

namespace Conduit.Redis;

/// <summary>
/// A call was not sent because its shared rate limit is kept in Redis and Redis could not be reached or did
/// not answer in time (<see cref="RedisUnavailableBehavior.FailFast"/>). Nothing reached the service; the
/// call can be made again once Redis is back.
/// </summary>
public sealed class RedisRateLimitUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="key">The limit the call needed a permit of.</param>
    /// <param name="endpoint">Where Redis was expected.</param>
    /// <param name="innerException">What went wrong talking to Redis, if known.</param>
    public RedisRateLimitUnavailableException(RateLimitKey key, string endpoint, Exception? innerException = null)
        : base(
            $"The shared rate limit {key} is kept in Redis at {endpoint}, which cannot be reached or did not answer in time "
            + $"({innerException?.Message ?? "not connected"}). The call was not sent. Check that Redis is running and reachable from this machine, "
            + "or set RedisRateLimitOptions.WhenUnavailable = FallBackToLocalShare to go on under a share of the limit while Redis is down.",
            innerException)
    {
        Key = key;
        Endpoint = endpoint;
    }

    /// <summary>The limit the call needed a permit of.</summary>
    public RateLimitKey Key { get; }

    /// <summary>Where Redis was expected (its configured endpoints).</summary>
    public string Endpoint { get; }
}

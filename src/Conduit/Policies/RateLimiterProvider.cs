using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.RateLimiting;

namespace Conduit.Policies;

/// <summary>
/// Names one limiter: the service counts requests per (group, method) for each holder of credentials, so
/// every client in a process, or across processes with a shared provider, that uses the same
/// <paramref name="Partition"/> must draw from the same limiter.
/// </summary>
/// <param name="Partition">Whose limit this is: by default one partition per process; set <see cref="ConduitClientOptions.RateLimitPartition"/> to a credential's client id to keep organisations apart.</param>
/// <param name="Group">The document's limit group (<c>x-rate-limit</c> <c>group</c>).</param>
/// <param name="Method">The HTTP method, upper case.</param>
public readonly record struct RateLimitKey(string Partition, string Group, string Method)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Group} {Method} ({Partition})";
}

/// <summary>The size of a limiter.</summary>
/// <param name="PermitLimit">Requests allowed per window: the document's soft limit unless configured, never above <paramref name="HardLimit"/>.</param>
/// <param name="Window">The window the service counts over.</param>
/// <param name="HardLimit">The service's hard limit per window.</param>
/// <param name="Margin">Added to the window on the client's side, for services whose clocks or counting are less exact than their documents say.</param>
/// <param name="QueueLimit">How many requests may wait for a permit before further ones are refused.</param>
public sealed record RateLimitSettings(int PermitLimit, TimeSpan Window, int HardLimit, TimeSpan Margin, int QueueLimit)
{
    /// <summary>
    /// The size for an operation's rule: its configured limit (the soft limit unless an attribute raised
    /// or lowered it), scaled by <see cref="ConduitClientOptions.RateLimitShare"/>, with the options' margin and queue limit.
    /// </summary>
    /// <param name="rule">The rule.</param>
    /// <param name="options">The client's options (share, margin and queue limit).</param>
    public static RateLimitSettings For(RateLimitRule rule, ConduitClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(options);
        var limit = Math.Max(1, (int)Math.Floor(rule.Limit * options.RateLimitShare));
        return new RateLimitSettings(limit, rule.Window, rule.Hard, options.RateLimitMargin, options.RateLimitQueueLimit);
    }

    /// <inheritdoc/>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{PermitLimit} per {Window.TotalSeconds:0.###} s (hard limit {HardLimit})");
}

/// <summary>
/// Where generated clients get their rate limiters. The limits belong to the holder of the credentials,
/// not to one <c>HttpClient</c>: a provider hands every client that asks for the same
/// <see cref="RateLimitKey"/> the same limiter. <see cref="InProcessRateLimiterProvider.Shared"/> serves
/// one process; a distributed provider (Conduit.Redis) serves several.
/// </summary>
public abstract class RateLimiterProvider
{
    /// <summary>The limiter for <paramref name="key"/>, created on first use with <paramref name="settings"/>.</summary>
    /// <param name="key">Whose limit, for which group and method.</param>
    /// <param name="settings">Its size.</param>
    /// <returns>A limiter whose <see cref="RateLimiter.AcquireAsync"/> waits for a permit rather than refusing, up to the queue limit.</returns>
    public abstract RateLimiter GetLimiter(RateLimitKey key, RateLimitSettings settings);

    /// <summary>
    /// The service answered 429 for a request under <paramref name="key"/>: it counts more requests than
    /// the limiter let through (another process, or someone else's use of the credentials). Hold the
    /// limiter back for <paramref name="retryAfter"/>.
    /// </summary>
    /// <param name="key">The limiter's key.</param>
    /// <param name="retryAfter">How long the service asked to wait.</param>
    public abstract void Throttled(RateLimitKey key, TimeSpan retryAfter);
}

/// <summary>
/// One <see cref="SlidingLogRateLimiter"/> per <see cref="RateLimitKey"/> for the whole process.
/// </summary>
public sealed class InProcessRateLimiterProvider : RateLimiterProvider
{
    private readonly ConcurrentDictionary<RateLimitKey, SlidingLogRateLimiter> _limiters = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a provider whose limiters read time from <paramref name="timeProvider"/>.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public InProcessRateLimiterProvider(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>The provider every client uses unless told otherwise.</summary>
    public static InProcessRateLimiterProvider Shared { get; } = new();

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The limiter exists with another size.</exception>
    public override RateLimiter GetLimiter(RateLimitKey key, RateLimitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var limiter = _limiters.GetOrAdd(key, static (_, state) => new SlidingLogRateLimiter(state.settings, state.time), (settings, time: _time));
        if (limiter.Settings != settings)
        {
            throw new InvalidOperationException(
                $"Two clients ask for the limiter {key} with different sizes ({limiter.Settings} and {settings}). "
                + "One limit cannot have two sizes: give the clients the same limits, or different rate-limit partitions if they use different credentials.");
        }

        return limiter;
    }

    /// <inheritdoc/>
    public override void Throttled(RateLimitKey key, TimeSpan retryAfter)
    {
        if (_limiters.TryGetValue(key, out var limiter))
        {
            limiter.HoldFor(retryAfter);
        }
    }
}

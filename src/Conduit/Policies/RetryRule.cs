using System;
using System.Collections.Generic;

namespace Conduit.Policies;

/// <summary>How the delay between retries grows.</summary>
public enum BackoffKind
{
    /// <summary>Every delay is the base delay.</summary>
    Constant,

    /// <summary>The n-th delay is n times the base delay.</summary>
    Linear,

    /// <summary>The n-th delay is 2^(n-1) times the base delay.</summary>
    Exponential,
}

/// <summary>
/// The retry rule of an operation, as its document declares it (<c>x-retry</c>): which statuses may be
/// retried, how often and how long to wait. A status the rule does not name is never retried.
/// </summary>
public sealed class RetryRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="statuses">The statuses that may be retried.</param>
    /// <param name="maxRetries">Retries after the first try.</param>
    /// <param name="backoff">How delays grow.</param>
    /// <param name="baseDelay">The first delay.</param>
    /// <param name="maxDelay">The longest single delay.</param>
    /// <param name="jitter">Whether delays are randomised.</param>
    /// <param name="respectRetryAfter">Whether a <c>Retry-After</c> answer lengthens the delay.</param>
    /// <param name="statusRanges">Status classes (5 for 5XX) that may be retried, beside <paramref name="statuses"/>.</param>
    public RetryRule(
        IReadOnlyList<int> statuses,
        int maxRetries,
        BackoffKind backoff,
        TimeSpan baseDelay,
        TimeSpan maxDelay,
        bool jitter = true,
        bool respectRetryAfter = true,
        IReadOnlyList<int>? statusRanges = null)
    {
        Statuses = statuses ?? throw new ArgumentNullException(nameof(statuses));
        MaxRetries = maxRetries;
        Backoff = backoff;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
        Jitter = jitter;
        RespectRetryAfter = respectRetryAfter;
        StatusRanges = statusRanges ?? Array.Empty<int>();
    }

    /// <summary>The statuses that may be retried.</summary>
    public IReadOnlyList<int> Statuses { get; }

    /// <summary>Status classes that may be retried: 5 stands for every 5xx status.</summary>
    public IReadOnlyList<int> StatusRanges { get; }

    /// <summary>Retries after the first try.</summary>
    public int MaxRetries { get; }

    /// <summary>How delays grow.</summary>
    public BackoffKind Backoff { get; }

    /// <summary>The first delay.</summary>
    public TimeSpan BaseDelay { get; }

    /// <summary>The longest single delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Whether delays are randomised.</summary>
    public bool Jitter { get; }

    /// <summary>Whether a <c>Retry-After</c> answer lengthens the delay.</summary>
    public bool RespectRetryAfter { get; }

    /// <summary>The delay before retry <paramref name="retry"/> (1 for the first) without jitter, capped at <see cref="MaxDelay"/>.</summary>
    /// <param name="retry">The retry's number, from 1.</param>
    public TimeSpan NominalDelay(int retry)
    {
        var factor = Backoff switch
        {
            BackoffKind.Exponential => Math.Pow(2, Math.Max(0, retry - 1)),
            BackoffKind.Linear => Math.Max(1, retry),
            _ => 1,
        };
        var ticks = Math.Min(BaseDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>Whether the rule allows a retry after an answer with <paramref name="status"/>.</summary>
    /// <param name="status">The HTTP status code.</param>
    public bool Allows(int status)
    {
        // Index loops: a foreach over IReadOnlyList allocates an enumerator on every check.
        for (var i = 0; i < Statuses.Count; i++)
        {
            if (Statuses[i] == status)
            {
                return true;
            }
        }

        for (var i = 0; i < StatusRanges.Count; i++)
        {
            if (status / 100 == StatusRanges[i])
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// A client-side rate limit, as the document declares it (<c>x-rate-limit</c>): operations naming the
/// same <see cref="Group"/> share one limit per HTTP method over a fixed window.
/// </summary>
public sealed class RateLimitRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="group">The group whose operations share the limit.</param>
    /// <param name="method">The HTTP method the limit covers, or <see langword="null"/> for every method.</param>
    /// <param name="window">The window the limits count over.</param>
    /// <param name="soft">The service's soft limit per window.</param>
    /// <param name="hard">The service's hard limit per window; never exceeded.</param>
    /// <param name="limit">The client's ceiling per window: <paramref name="soft"/> when <see langword="null"/>; from 1 to <paramref name="hard"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1, or the ceiling is above the hard limit.</exception>
    public RateLimitRule(string group, string? method, TimeSpan window, int soft, int hard, int? limit = null)
    {
        Group = group ?? throw new ArgumentNullException(nameof(group));
        Method = method;
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be longer than zero.");
        }

        if (soft < 1 || hard < soft)
        {
            throw new ArgumentOutOfRangeException(nameof(hard), hard, $"Limits must satisfy 1 <= soft ({soft}) <= hard ({hard}).");
        }

        var ceiling = limit ?? soft;
        if (ceiling < 1 || ceiling > hard)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), ceiling, $"The limit for {group} {method} must be from 1 to the service's hard limit, {hard}; a client never goes beyond it.");
        }

        Window = window;
        Soft = soft;
        Hard = hard;
        Limit = ceiling;
    }

    /// <summary>The group whose operations share the limit.</summary>
    public string Group { get; }

    /// <summary>The HTTP method the limit covers, or <see langword="null"/> for every method.</summary>
    public string? Method { get; }

    /// <summary>The window the limits count over.</summary>
    public TimeSpan Window { get; }

    /// <summary>The service's soft limit per window: the client's default ceiling.</summary>
    public int Soft { get; }

    /// <summary>The service's hard limit per window.</summary>
    public int Hard { get; }

    /// <summary>The client's ceiling per window, from 1 to <see cref="Hard"/>: <see cref="Soft"/> unless configured.</summary>
    public int Limit { get; }
}

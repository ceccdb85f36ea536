using System;
using Conduit.Policies;

namespace Conduit;

/// <summary>
/// Overrides the document's retry rule (<c>x-retry</c>) on an <see cref="OpenApiClientAttribute"/> class:
/// for the whole client, or for the operations one <see cref="Operation"/>, <see cref="Tag"/> or
/// <see cref="HttpMethod"/> selects. Only the properties you set change; the others keep the document's
/// values (or, where the document has no rule, the defaults of <c>x-retry</c>).
/// </summary>
/// <remarks>
/// Where several attributes select an operation, the most specific wins, property by property:
/// <see cref="Operation"/>, then <see cref="Tag"/>, then <see cref="HttpMethod"/>, then none; between
/// two of the same rank, the one with more selectors. <see cref="Operation"/> and <see cref="Tag"/>
/// are case-sensitive, <see cref="HttpMethod"/> is not. A status the rule does not list is never
/// retried; list only statuses the service says are safe to send again (a 5xx, typically; never a
/// 4xx). Where the document has no <c>x-retry</c>, set <see cref="Statuses"/>: without it nothing is
/// retried, and the build says so (CND1011).
/// </remarks>
/// <example>
/// <code>
/// [OpenApiClient("openapi/photoshop.json")]
/// [RetryPolicy(MaxRetries = 2)]                                  // every operation
/// [RetryPolicy(Operation = "removeBackground", MaxRetries = 0)]  // never send this one twice
/// public partial class PhotoshopClient;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RetryPolicyAttribute : Attribute
{
    /// <summary>Retries after the first try, 0 to 10. 0 turns retrying off.</summary>
    public int MaxRetries { get; set; }

    /// <summary>The HTTP statuses that are retried, and the only ones, such as <c>[500, 502, 503, 504]</c>.</summary>
    public int[]? Statuses { get; set; }

    /// <summary>How delays grow from one retry to the next.</summary>
    public BackoffKind Backoff { get; set; }

    /// <summary>The delay before the first retry, in seconds (greater than 0).</summary>
    public double BaseDelaySeconds { get; set; }

    /// <summary>The longest computed delay, in seconds (no less than the base delay).</summary>
    public double MaxDelaySeconds { get; set; }

    /// <summary>Whether delays are randomised, so many clients do not retry in step.</summary>
    public bool Jitter { get; set; }

    /// <summary>Whether a <c>Retry-After</c> answer lengthens the delay.</summary>
    public bool RespectRetryAfter { get; set; }

    /// <summary>Applies to this operation only: its <c>operationId</c> or its generated method's name.</summary>
    public string? Operation { get; set; }

    /// <summary>Applies to the operations with this tag.</summary>
    public string? Tag { get; set; }

    /// <summary>Applies to the operations with this HTTP method, such as <c>"POST"</c>.</summary>
    public string? HttpMethod { get; set; }
}

/// <summary>
/// Sets the client's ceiling for a rate limit of the document (<c>x-rate-limit</c>): any number of
/// requests per window from 1 to the service's hard limit, never beyond. Without it a client sends at the
/// soft limit. Limits are shared per (group, method), so select them by <see cref="Group"/> and
/// <see cref="HttpMethod"/>; every operation under one limit must end up with the same ceiling.
/// </summary>
/// <remarks>
/// Select the limits it sets with at least one of <see cref="Group"/>, <see cref="HttpMethod"/>,
/// <see cref="Operation"/> or <see cref="Tag"/> (the most specific wins: Operation, Tag, Group,
/// HttpMethod). For an API whose document declares no limit, set <see cref="WindowSeconds"/> to define
/// one: the ceiling is then also its hard limit, and <see cref="Group"/> names it (the client's full
/// name by default).
/// </remarks>
/// <example>
/// <code>
/// [OpenApiClient("openapi/photoshop.json")]
/// [RateLimit(16, Group = "photoshop", HttpMethod = "POST")]   // up to the hard limit, at your own risk
/// [RateLimit(1, Group = "remove-background", HttpMethod = "POST")]
/// public partial class PhotoshopClient;
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class RateLimitAttribute : Attribute
{
    /// <summary>Creates the attribute.</summary>
    /// <param name="limit">Requests per window: from 1 to the service's hard limit.</param>
    public RateLimitAttribute(int limit) => Limit = limit;

    /// <summary>Requests per window: from 1 to the service's hard limit.</summary>
    public int Limit { get; }

    /// <summary>Applies to the limits of this group (the document's <c>x-rate-limit</c> <c>group</c>).</summary>
    public string? Group { get; set; }

    /// <summary>Applies to the limits of this HTTP method, such as <c>"GET"</c>.</summary>
    public string? HttpMethod { get; set; }

    /// <summary>Applies to the limit of this operation (its <c>operationId</c> or its generated method's name), and so to every operation under the same limit.</summary>
    public string? Operation { get; set; }

    /// <summary>Applies to the limits of the operations with this tag.</summary>
    public string? Tag { get; set; }

    /// <summary>Defines a limit where the document has none: its window in seconds.</summary>
    public double WindowSeconds { get; set; }
}

using System;
using System.Collections.Generic;

namespace Conduit.Policies;

/// <summary>
/// The service's usage rules for one operation, read from its document's vendor extensions
/// (<c>x-retry</c>, <c>x-rate-limit</c>, <c>x-multipart</c>, <c>x-file-input</c>). Generated clients share
/// one instance between every operation with the same rules.
/// </summary>
public sealed class OperationPolicy
{
    /// <summary>No rules: no retry, no client-side limit, multipart allowed.</summary>
    public static OperationPolicy None { get; } = new();

    /// <summary>Creates a policy.</summary>
    /// <param name="retry">The retry rule, or <see langword="null"/> for none.</param>
    /// <param name="rateLimits">The rate limits that apply to this operation.</param>
    /// <param name="multipartAllowed">Whether the service accepts multipart bodies here.</param>
    /// <param name="maxFileInputs">How many input files one request may carry, or <see langword="null"/> when unbounded.</param>
    public OperationPolicy(
        RetryRule? retry = null,
        IReadOnlyList<RateLimitRule>? rateLimits = null,
        bool multipartAllowed = true,
        int? maxFileInputs = null)
    {
        Retry = retry;
        RateLimits = rateLimits ?? Array.Empty<RateLimitRule>();
        MultipartAllowed = multipartAllowed;
        MaxFileInputs = maxFileInputs;
    }

    /// <summary>The retry rule, or <see langword="null"/> when the document declares none.</summary>
    public RetryRule? Retry { get; }

    /// <summary>The rate limits that apply to this operation.</summary>
    public IReadOnlyList<RateLimitRule> RateLimits { get; }

    /// <summary>Whether the service accepts multipart bodies for this operation.</summary>
    public bool MultipartAllowed { get; }

    /// <summary>How many input files one request may carry, or <see langword="null"/> when unbounded.</summary>
    public int? MaxFileInputs { get; }
}

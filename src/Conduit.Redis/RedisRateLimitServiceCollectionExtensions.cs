using System;
using Conduit.Policies;
using Conduit.Redis;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Redis-backed rate limits for the generated clients in a container.</summary>
public static class RedisRateLimitServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="RedisRateLimiterProvider"/> as the container's <see cref="RateLimiterProvider"/>,
    /// which the generated <c>Add&lt;Client&gt;</c> registrations then use for their limits (in place of the
    /// in-process limiters). Created on first use with the container's <see cref="TimeProvider"/>, and disposed
    /// with the container.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">Where Redis is and what to do while it is unavailable.</param>
    /// <returns>The services.</returns>
    /// <exception cref="ArgumentException">The options cannot work; the message says what to change.</exception>
    /// <example>
    /// <code>
    /// services.AddConduitRedisRateLimits(new RedisRateLimitOptions
    /// {
    ///     Configuration = "redis.internal:6379",
    ///     WhenUnavailable = RedisUnavailableBehavior.FallBackToLocalShare,
    ///     LocalShare = 0.25,   // four workers
    /// });
    /// services.AddPhotoshopClient();
    /// </code>
    /// </example>
    public static IServiceCollection AddConduitRedisRateLimits(this IServiceCollection services, RedisRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        services.TryAddSingleton(provider => new RedisRateLimiterProvider(options, provider.GetService<TimeProvider>()));
        services.Replace(ServiceDescriptor.Singleton<RateLimiterProvider>(static provider => provider.GetRequiredService<RedisRateLimiterProvider>()));
        return services;
    }
}

using System;
using Conduit.Jobs;
using Conduit.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Conduit;

/// <summary>Dependency-injection helpers that generated <c>Add&lt;Client&gt;</c> extensions call.</summary>
public static class ConduitServices
{
    /// <summary>
    /// Registers one <see cref="ConduitClientOptions"/> for the container, unless one is registered
    /// already: built from the container's <see cref="TimeProvider"/>, <see cref="ILoggerFactory"/> and
    /// <see cref="IJobEvents"/> (a webhook receiver's) and <see cref="RateLimiterProvider"/> (a shared one, such as
    /// Conduit.Redis's) when it has them. Register your own instance first to choose other settings.
    /// </summary>
    /// <param name="services">The services.</param>
    public static void AddOptions(IServiceCollection services)
        => services.TryAddSingleton(static provider =>
        {
            var options = new ConduitClientOptions();
            if (provider.GetService<TimeProvider>() is { } time)
            {
                options.TimeProvider = time;
            }

            if (provider.GetService<ILoggerFactory>() is { } logging)
            {
                options.LoggerFactory = logging;
            }

            if (provider.GetService<IJobEvents>() is { } events)
            {
                options.JobEvents = events;
            }

            if (provider.GetService<RateLimiterProvider>() is { } limiters)
            {
                options.RateLimiters = limiters;
            }

            return options;
        });

    /// <summary>The container's <see cref="ConduitClientOptions"/>.</summary>
    /// <param name="provider">The services.</param>
    public static ConduitClientOptions Options(IServiceProvider provider) => provider.GetRequiredService<ConduitClientOptions>();
}

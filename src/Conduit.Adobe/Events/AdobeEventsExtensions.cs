using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Net.Http;
using Conduit.Adobe.Events;
using Conduit.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.Extensions.DependencyInjection
{
    /// <summary>Registers the Adobe I/O Events receiver.</summary>
    public static class AdobeEventsServiceCollectionExtensions
    {
        /// <summary>
        /// Registers the receiver that <c>app.MapAdobeEvents(pattern)</c> maps: signature and recipient checks,
        /// de-duplication (in memory unless replaced), a bounded queue and the hosted service that hands events
        /// to handlers. Also registers an <see cref="InProcessJobEvents"/> as <see cref="IJobEvents"/> (unless one
        /// is registered), so generated clients registered in the same container complete their jobs from events.
        /// </summary>
        /// <param name="services">The services.</param>
        /// <param name="configure">Sets the options; <see cref="AdobeEventsOptions.ClientId"/> is required.</param>
        /// <returns>A builder to add handlers with.</returns>
        /// <exception cref="InvalidOperationException">The options are incomplete, or a receiver is registered already.</exception>
        /// <example>
        /// <code>
        /// builder.Services.AddAdobeEvents(o => o.ClientId = credentials.ClientId)
        ///     .AddHandler(PhotoshopClient.Webhooks.PhotoshopJobStatus, (e, ct) => ...);
        /// app.MapAdobeEvents("/adobe/events");
        /// </code>
        /// </example>
        public static AdobeEventsBuilder AddAdobeEvents(this IServiceCollection services, Action<AdobeEventsOptions> configure)
        {
            ArgumentNullException.ThrowIfNull(services);
            ArgumentNullException.ThrowIfNull(configure);
            if (services.Any(d => d.ServiceType == typeof(AdobeEventsOptions)))
            {
                throw new InvalidOperationException("AddAdobeEvents was called already: one receiver per container.");
            }

            var options = new AdobeEventsOptions();
            configure(options);
            options.Validate();
            services.AddSingleton(options);
            services.TryAddSingleton<IAdobeEventKeySource>(provider => new AdobeEventKeySource(
                new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(15), AllowAutoRedirect = false }),
                provider.GetService<TimeProvider>()));
            services.TryAddSingleton<IAdobeEventIdStore>(provider => new InMemoryEventIdStore(options.DuplicateWindow, options.DuplicateCapacity, provider.GetService<TimeProvider>()));
            services.TryAddSingleton<InProcessJobEvents>();
            services.TryAddSingleton<IJobEvents>(provider => provider.GetRequiredService<InProcessJobEvents>());
            services.AddSingleton(provider => new AdobeEventQueue(options, Clock(provider)));
            services.AddSingleton(provider => new AdobeEventReceiver(
                options,
                provider.GetRequiredService<IAdobeEventKeySource>(),
                provider.GetRequiredService<IAdobeEventIdStore>(),
                provider.GetRequiredService<AdobeEventQueue>(),
                Clock(provider),
                Logger(provider, "Conduit.Adobe.Events.Receiver")));
            services.AddSingleton<IHostedService>(provider => new AdobeEventDispatcher(
                provider.GetRequiredService<AdobeEventQueue>(),
                options,
                provider.GetRequiredService<InProcessJobEvents>(),
                provider.GetServices<EventRoute>(),
                provider.GetRequiredService<IServiceScopeFactory>(),
                Logger(provider, "Conduit.Adobe.Events.Handlers")));
            return new AdobeEventsBuilder(services);
        }

        private static TimeProvider Clock(IServiceProvider provider) => provider.GetService<TimeProvider>() ?? TimeProvider.System;

        private static ILogger Logger(IServiceProvider provider, string category)
            => provider.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;
    }
}

namespace Microsoft.AspNetCore.Builder
{
    /// <summary>Maps the Adobe I/O Events receiver.</summary>
    public static class AdobeEventsEndpointRouteBuilderExtensions
    {
        /// <summary>
        /// Maps the webhook URL of an Adobe I/O Events registration: GET answers the registration challenge,
        /// POST receives deliveries (see <c>docs/webhooks.md</c>). Register it first with <c>services.AddAdobeEvents(...)</c>.
        /// </summary>
        /// <param name="endpoints">The application.</param>
        /// <param name="pattern">The route, such as <c>/adobe/events</c>.</param>
        /// <returns>The endpoint's builder, to add conventions (rate limiting, host filtering) to.</returns>
        /// <exception cref="InvalidOperationException">The receiver is not registered.</exception>
        public static IEndpointConventionBuilder MapAdobeEvents(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string pattern)
        {
            ArgumentNullException.ThrowIfNull(endpoints);
            var receiver = endpoints.ServiceProvider.GetService<AdobeEventReceiver>()
                ?? throw new InvalidOperationException("Call services.AddAdobeEvents(...) before app.MapAdobeEvents(...).");
            return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], receiver.HandleAsync).WithDisplayName("Adobe I/O Events receiver");
        }
    }
}

using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conduit.Adobe.Events;

/// <summary>Adds handlers (delegates or processors) to the Adobe I/O Events receiver, or replaces its key source or de-duplication store.</summary>
public sealed class AdobeEventsBuilder
{
    internal AdobeEventsBuilder(IServiceCollection services) => Services = services;

    /// <summary>The services the receiver is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Runs <paramref name="handler"/> for every accepted event of <paramref name="webhook"/> (matched by event code), in the background.</summary>
    /// <typeparam name="TEvent">The webhook's payload model.</typeparam>
    /// <param name="webhook">The generated descriptor, such as <c>PhotoshopClient.Webhooks.PhotoshopJobStatus</c>.</param>
    /// <param name="handler">The handler.</param>
    /// <returns>The builder.</returns>
    public AdobeEventsBuilder AddHandler<TEvent>(WebhookInfo<TEvent> webhook, Func<AdobeEvent<TEvent>, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(handler);
        Services.AddSingleton(new EventRoute(webhook.Name, (_, received, token) => handler(Typed(webhook, received), token)));
        return this;
    }

    /// <summary>Runs a <typeparamref name="TProcessor"/>, resolved in a scope of its own, for every accepted event of <paramref name="webhook"/>.</summary>
    /// <typeparam name="TEvent">The webhook's payload model.</typeparam>
    /// <typeparam name="TProcessor">The processor; registered as scoped unless it is registered already.</typeparam>
    /// <param name="webhook">The generated descriptor.</param>
    /// <returns>The builder.</returns>
    public AdobeEventsBuilder AddProcessor<TEvent, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProcessor>(WebhookInfo<TEvent> webhook)
        where TProcessor : class, IAdobeEventProcessor<TEvent>
    {
        ArgumentNullException.ThrowIfNull(webhook);
        Services.TryAddScoped<TProcessor>();
        Services.AddSingleton(new EventRoute(webhook.Name, (services, received, token) => services.GetRequiredService<TProcessor>().ProcessAsync(Typed(webhook, received), token)));
        return this;
    }

    /// <summary>
    /// Verifies signatures with <paramref name="keys"/> instead of Adobe's key host: a
    /// <see cref="TrustedEventKeys"/> for tests and emulators, which sign with keys of their own.
    /// </summary>
    /// <param name="keys">The key source.</param>
    /// <returns>The builder.</returns>
    public AdobeEventsBuilder UseKeys(IAdobeEventKeySource keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Services.Replace(ServiceDescriptor.Singleton(keys));
        return this;
    }

    /// <summary>Remembers event ids in <paramref name="store"/> instead of in memory: a shared store when several instances receive one registration.</summary>
    /// <param name="store">The store.</param>
    /// <returns>The builder.</returns>
    public AdobeEventsBuilder UseEventIdStore(IAdobeEventIdStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Services.Replace(ServiceDescriptor.Singleton(store));
        return this;
    }

    private static AdobeEvent<TEvent> Typed<TEvent>(WebhookInfo<TEvent> webhook, ReceivedEvent received)
        => new(received.EventId, received.EventCode, received.JobId, webhook.Read(received.Json), received.ReceivedAt);
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conduit.Adobe.Events;

/// <summary>A handler for one event code, reading the event's JSON as its webhook's payload.</summary>
internal sealed class EventRoute(string eventCode, Func<IServiceProvider, ReceivedEvent, CancellationToken, Task> invoke)
{
    public string EventCode { get; } = eventCode;

    public Task InvokeAsync(IServiceProvider services, ReceivedEvent received, CancellationToken cancellationToken) => invoke(services, received, cancellationToken);
}

/// <summary>
/// The background side of the receiver (a hosted service): takes accepted events off the queue, wakes the
/// jobs they are about (<see cref="InProcessJobEvents"/>), then runs the handlers registered for their
/// event code, each in its own scope. At shutdown it finishes the queued events unless the host's
/// shutdown timeout ends first.
/// </summary>
internal sealed partial class AdobeEventDispatcher(
    AdobeEventQueue queue,
    AdobeEventsOptions options,
    InProcessJobEvents jobs,
    IEnumerable<EventRoute> routes,
    IServiceScopeFactory scopes,
    ILogger logger) : IHostedService, IDisposable
{
    private readonly EventRoute[] _routes = routes.ToArray();
    private readonly CancellationTokenSource _abort = new();
    private Task[] _workers = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _workers = [.. Enumerable.Range(0, options.HandlerConcurrency).Select(_ => Task.Run(WorkAsync, CancellationToken.None))];
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        using var registration = cancellationToken.Register(_abort.Cancel);
        await Task.WhenAll(_workers).ConfigureAwait(false);
    }

    public void Dispose() => _abort.Dispose();

    private async Task WorkAsync()
    {
        await foreach (var received in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_abort.IsCancellationRequested)
            {
                LogDropped(logger, received.EventId);
                continue;
            }

            await DispatchAsync(received).ConfigureAwait(false);
        }
    }

    private async Task DispatchAsync(ReceivedEvent received)
    {
        if (received.JobId is { } jobId)
        {
            try
            {
                jobs.Publish(jobId);
            }
            catch (Exception e)
            {
                LogHandlerFailed(logger, e, received.EventId, received.EventCode, "a job's wait");
            }
        }

        foreach (var route in _routes)
        {
            if (!string.Equals(route.EventCode, received.EventCode, StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                var scope = scopes.CreateAsyncScope();
                await using (scope.ConfigureAwait(false))
                {
                    await route.InvokeAsync(scope.ServiceProvider, received, _abort.Token).ConfigureAwait(false);
                }
            }
            catch (JsonException e)
            {
                LogUnreadable(logger, received.EventId, route.EventCode, e.Message);
            }
            catch (Exception e) when (!(e is OperationCanceledException && _abort.IsCancellationRequested))
            {
                LogHandlerFailed(logger, e, received.EventId, received.EventCode, "its handler");
            }
        }
    }

    [LoggerMessage(10, LogLevel.Error, "Adobe I/O Events event {EventId} ({EventCode}): {Target} failed; the event is not retried (journaling can replay it)")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string eventId, string? eventCode, string target);

    [LoggerMessage(11, LogLevel.Warning, "Adobe I/O Events event {EventId} could not be read as the {EventCode} payload: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string eventId, string eventCode, string reason);

    [LoggerMessage(12, LogLevel.Warning, "Adobe I/O Events event {EventId} was not handled: the host stopped first (journaling can replay it)")]
    private static partial void LogDropped(ILogger logger, string eventId);
}

using System;

namespace Conduit.Adobe.Events;

/// <summary>An event the receiver accepted, with its payload typed by the document's webhook.</summary>
/// <typeparam name="TEvent">The webhook's payload model, such as <c>PhotoshopJobStatusEvent</c>.</typeparam>
/// <param name="EventId">The event's id (its <c>event_id</c>); each id is handled once.</param>
/// <param name="EventCode">The event code (<c>event.header.eventCode</c>, else the <c>x-adobe-event-code</c> header).</param>
/// <param name="JobId">The job the event is about (<c>event.body.jobId</c>), if any.</param>
/// <param name="Payload">The payload.</param>
/// <param name="ReceivedAt">When the receiver accepted it.</param>
public sealed record AdobeEvent<TEvent>(string EventId, string? EventCode, string? JobId, TEvent Payload, DateTimeOffset ReceivedAt);

/// <summary>Processes accepted events of one webhook, in the background, after the delivery was answered.</summary>
/// <typeparam name="TEvent">The webhook's payload model.</typeparam>
public interface IAdobeEventProcessor<TEvent>
{
    /// <summary>Processes one event. An exception is logged and the event dropped: Adobe already has its 200.</summary>
    /// <param name="adobeEvent">The event.</param>
    /// <param name="cancellationToken">Signalled when the host shuts down before the processor is done.</param>
    System.Threading.Tasks.Task ProcessAsync(AdobeEvent<TEvent> adobeEvent, System.Threading.CancellationToken cancellationToken);
}

/// <summary>An accepted event on its way to the handlers: the raw JSON of one event and what was read from it.</summary>
internal sealed record ReceivedEvent(string EventId, string? EventCode, string? JobId, byte[] Json, DateTimeOffset ReceivedAt);

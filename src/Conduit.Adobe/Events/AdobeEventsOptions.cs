using System;

namespace Conduit.Adobe.Events;

/// <summary>
/// How the Adobe I/O Events receiver (<c>services.AddAdobeEvents(...)</c>, <c>app.MapAdobeEvents(...)</c>)
/// accepts deliveries. Only <see cref="ClientId"/> must be set; every default keeps Adobe's rules.
/// </summary>
public sealed class AdobeEventsOptions
{
    /// <summary>
    /// The client id (API key) of the credential the event registration belongs to. A delivery whose
    /// <c>recipient_client_id</c> is another is refused (403). Required.
    /// </summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. Default 4 MiB (Adobe's batches are at most 2 MB).</summary>
    public int MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How many accepted events may wait for the background handlers. A delivery that finds the queue full
    /// waits up to <see cref="QueueWait"/> for room, then gets 503 (Adobe retries it). Default 1,000.
    /// </summary>
    public int QueueCapacity { get; set; } = 1000;

    /// <summary>How long a delivery waits for room in a full queue before 503. Default 3 s, well inside Adobe's 10 s timeout.</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many events the background handlers work on at once. Default 4.</summary>
    public int HandlerConcurrency { get; set; } = 4;

    /// <summary>
    /// How long the default de-duplication store remembers an event id. Default 48 hours: Adobe retries a
    /// delivery for 24 hours, so every retry of an accepted event is recognised.
    /// </summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>How many event ids the default de-duplication store holds; when full, the oldest is forgotten first. Default 100,000.</summary>
    public int DuplicateCapacity { get; set; } = 100_000;

    /// <summary>Throws when a value is out of its range.</summary>
    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new InvalidOperationException("AdobeEventsOptions.ClientId is required: the client id of the credential the event registration belongs to.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBodyBytes, 1, nameof(MaxBodyBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueCapacity, 1, nameof(QueueCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueueWait, TimeSpan.Zero, nameof(QueueWait));
        ArgumentOutOfRangeException.ThrowIfLessThan(HandlerConcurrency, 1, nameof(HandlerConcurrency));
        ArgumentOutOfRangeException.ThrowIfLessThan(DuplicateWindow, TimeSpan.FromHours(24), nameof(DuplicateWindow));
        ArgumentOutOfRangeException.ThrowIfLessThan(DuplicateCapacity, 1, nameof(DuplicateCapacity));
    }
}

using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.Adobe.Events;

/// <summary>
/// Remembers the ids of accepted events, so a delivery Adobe repeats (it delivers at least once, and
/// retries for 24 hours) is accepted once. Replace the in-memory default with a shared store (Redis, a
/// database) when several instances receive the same registration's deliveries.
/// </summary>
public interface IAdobeEventIdStore
{
    /// <summary>Records <paramref name="eventId"/>, atomically.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the id is new; <see langword="false"/> when it is remembered already.</returns>
    ValueTask<bool> TryAddAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Forgets an id that was recorded but whose event could not be queued, so Adobe's retry of it is accepted.</summary>
    /// <param name="eventId">The event's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IAdobeEventIdStore"/> in memory: ids are remembered for a window (48 hours by default, twice
/// Adobe's retry period) and the store is bounded; when full, the oldest id is forgotten first.
/// </summary>
public sealed class InMemoryEventIdStore : IAdobeEventIdStore
{
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, DateTimeOffset At)> _order = new();
    private readonly TimeSpan _window;
    private readonly int _capacity;
    private readonly TimeProvider _time;

    /// <summary>Creates the store.</summary>
    /// <param name="window">How long an id is remembered: at least Adobe's 24-hour retry period.</param>
    /// <param name="capacity">How many ids are held at most.</param>
    /// <param name="timeProvider">The clock; the system's when <see langword="null"/>.</param>
    public InMemoryEventIdStore(TimeSpan window, int capacity, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromHours(24), nameof(window));
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(capacity));
        _window = window;
        _capacity = capacity;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>How many ids are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_seen)
            {
                return _seen.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(string eventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        var now = _time.GetUtcNow();
        lock (_seen)
        {
            Forget(now - _window);
            if (_seen.ContainsKey(eventId))
            {
                return ValueTask.FromResult(false);
            }

            while (_seen.Count >= _capacity && _order.TryDequeue(out var oldest))
            {
                RemoveIfSame(oldest);
            }

            _seen[eventId] = now;
            _order.Enqueue((eventId, now));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask RemoveAsync(string eventId, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            // Its entry in _order is skipped when it comes up (RemoveIfSame).
            _seen.Remove(eventId);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Drops the ids recorded before <paramref name="before"/>.</summary>
    private void Forget(DateTimeOffset before)
    {
        while (_order.TryPeek(out var oldest) && oldest.At < before)
        {
            _order.Dequeue();
            RemoveIfSame(oldest);
        }
    }

    /// <summary>Removes an id unless it was removed and recorded again since (a later entry in the queue stands for it).</summary>
    private void RemoveIfSame((string Id, DateTimeOffset At) entry)
    {
        if (_seen.TryGetValue(entry.Id, out var at) && at == entry.At)
        {
            _seen.Remove(entry.Id);
        }
    }
}

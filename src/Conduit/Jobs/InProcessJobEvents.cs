using System;
using System.Collections.Generic;
using System.Threading;

namespace Conduit.Jobs;

/// <summary>
/// <see cref="IJobEvents"/> within one process: whatever receives the service's events calls
/// <see cref="Publish"/> with the job id, and every wait for that job wakes up. Thread-safe.
/// </summary>
public sealed class InProcessJobEvents : IJobEvents
{
    private readonly Dictionary<string, List<Action>> _listeners = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public IDisposable Subscribe(string jobId, Action onEvent)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(onEvent);
        lock (_listeners)
        {
            if (!_listeners.TryGetValue(jobId, out var list))
            {
                _listeners[jobId] = list = new List<Action>(1);
            }

            list.Add(onEvent);
        }

        return new Subscription(this, jobId, onEvent);
    }

    /// <summary>Tells every wait for <paramref name="jobId"/> that an event about it arrived.</summary>
    /// <param name="jobId">The job the event is about.</param>
    /// <returns>How many waits were listening.</returns>
    public int Publish(string jobId)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        Action[] listeners;
        lock (_listeners)
        {
            if (!_listeners.TryGetValue(jobId, out var list))
            {
                return 0;
            }

            listeners = list.ToArray();
        }

        foreach (var listener in listeners)
        {
            listener();
        }

        return listeners.Length;
    }

    private void Remove(string jobId, Action onEvent)
    {
        lock (_listeners)
        {
            if (_listeners.TryGetValue(jobId, out var list) && list.Remove(onEvent) && list.Count == 0)
            {
                _listeners.Remove(jobId);
            }
        }
    }

    private sealed class Subscription(InProcessJobEvents owner, string jobId, Action onEvent) : IDisposable
    {
        private InProcessJobEvents? _owner = owner;

        public void Dispose()
        {
            Interlocked.Exchange(ref _owner, null)?.Remove(jobId, onEvent);
        }
    }
}

using System;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.Jobs;

/// <summary>
/// One wait's subscription to <see cref="IJobEvents"/>: remembers that an event arrived until the wait
/// asks, so an event that comes while a status read is on the wire is not lost.
/// </summary>
internal sealed class JobEventSignal : IDisposable
{
    private readonly IDisposable _subscription;
    private TaskCompletionSource _next = NewSource();

    public JobEventSignal(IJobEvents events, string jobId)
        => _subscription = events.Subscribe(jobId, () => Volatile.Read(ref _next).TrySetResult())
            ?? throw new InvalidOperationException($"{events.GetType().Name}.Subscribe returned null.");

    /// <summary>Waits for an event (one that already arrived counts) or for <paramref name="wait"/>, whichever is first.</summary>
    /// <returns>Whether an event arrived.</returns>
    public async Task<bool> WaitAsync(TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _next);
        if (!next.Task.IsCompleted)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, time, stop.Token);
            var first = await Task.WhenAny(next.Task, delay).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (first != next.Task)
            {
                return false;
            }
        }

        // Consumed. An event that lands between the check above and this exchange is about a change the
        // status read that follows sees anyway.
        Interlocked.CompareExchange(ref _next, NewSource(), next);
        return true;
    }

    public void Dispose() => _subscription.Dispose();

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Conduit.Adobe.Events;

/// <summary>The bounded hand-off between the endpoint, which must answer within Adobe's 10 s, and the background handlers.</summary>
internal sealed class AdobeEventQueue(AdobeEventsOptions options, TimeProvider time)
{
    private readonly Channel<ReceivedEvent> _channel = Channel.CreateBounded<ReceivedEvent>(
        new BoundedChannelOptions(options.QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<ReceivedEvent> Reader => _channel.Reader;

    /// <summary>Queues the event, waiting up to <paramref name="wait"/> for room; false when there was none or the queue is closed.</summary>
    public async ValueTask<bool> TryWriteAsync(ReceivedEvent received, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_channel.Writer.TryWrite(received))
        {
            return true;
        }

        using var timeout = new CancellationTokenSource(wait, time);
        using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), timeout);
        try
        {
            await _channel.Writer.WriteAsync(received, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
            return false;
        }
    }

    /// <summary>Accepts no more events; the handlers finish what is queued.</summary>
    public void Complete() => _channel.Writer.TryComplete();
}

using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests;

/// <summary>
/// A client's wire on a fake clock: notes the fake time each request is sent and counts those not yet
/// answered, so <see cref="DriveAsync"/> moves the clock only while nothing is on the wire and every
/// request is answered at the fake moment it was sent.
/// </summary>
internal sealed class FakeClockWire(FakeTimeProvider time) : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly List<DateTimeOffset> _sent = new();
    private int _inFlight;

    /// <summary>When each request was sent, on the fake clock.</summary>
    public IReadOnlyList<DateTimeOffset> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToArray();
            }
        }
    }

    /// <summary>Advances the clock by <paramref name="step"/> at a time until <paramref name="work"/> ends (20 s of real time at most).</summary>
    public async Task DriveAsync(Task work, double stepMilliseconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!work.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2);
            if (Volatile.Read(ref _inFlight) == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(stepMilliseconds));
            }
        }

        Assert.True(work.IsCompleted, "The work did not finish.");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_sent)
        {
            _sent.Add(time.GetUtcNow());
        }

        Interlocked.Increment(ref _inFlight);
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Photoshop.Quickstart;

/// <summary>Counts the requests that left the client and the 429 answers that came back.</summary>
internal sealed class WireCounter : DelegatingHandler
{
    private int _requests;
    private int _throttled;

    public int Requests => Volatile.Read(ref _requests);

    public int Throttled => Volatile.Read(ref _throttled);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            Interlocked.Increment(ref _throttled);
        }

        return response;
    }
}

/// <summary>Counts the retries a client made, from Polly's telemetry (the meter any OpenTelemetry exporter reads).</summary>
internal sealed class RetryCounter : System.IDisposable
{
    private readonly MeterListener _listener = new();
    private int _count;

    public RetryCounter(string client)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            bool retry = false, ours = false;
            foreach (var tag in tags)
            {
                retry |= tag.Key == "event.name" && (string?)tag.Value == "OnRetry";
                ours |= tag.Key == "pipeline.name" && (string?)tag.Value == client;
            }

            if (retry && ours)
            {
                Interlocked.Increment(ref _count);
            }
        });
        _listener.Start();
    }

    public int Count => Volatile.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}

using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit;
using Conduit.Jobs;
using Conduit.Policies;
using Microsoft.Extensions.Time.Testing;
using Photoshop.Emulator;

namespace Photoshop.Client.Tests;

/// <summary>The client Conduit generates from our Photoshop document, as a user declares it.</summary>
[OpenApiClient("../../openapi/photoshop.json")]
public partial class PhotoshopClient;

/// <summary>
/// The emulator and a generated client on one fake clock. The clock moves only while no request is on
/// the wire, so every request reaches the emulator at the moment the client's limiter let it go, and no
/// test ever sleeps through a window.
/// </summary>
internal sealed class EmulatorRun : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(25);

    private readonly InFlight _inFlight;

    private EmulatorRun(FakeTimeProvider time, PhotoshopEmulator emulator, InFlight inFlight, PhotoshopClient client)
    {
        Time = time;
        Emulator = emulator;
        _inFlight = inFlight;
        Client = client;
    }

    public FakeTimeProvider Time { get; }

    public PhotoshopEmulator Emulator { get; }

    public PhotoshopClient Client { get; }

    /// <summary>Starts the emulator with <paramref name="configure"/>'s options and a client with default policies.</summary>
    public static async Task<EmulatorRun> StartAsync(Func<FakeTimeProvider, EmulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
        var emulator = await PhotoshopEmulator.StartAsync(configure?.Invoke(time) ?? new EmulatorOptions { TimeProvider = time });
        var inFlight = new InFlight { InnerHandler = new SocketsHttpHandler() };
        var http = new HttpClient(inFlight) { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
        http.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);
        var options = new ConduitClientOptions
        {
            TimeProvider = time,
            RateLimiters = new InProcessRateLimiterProvider(time),
            Jobs = new JobPollingOptions { FirstDelay = TimeSpan.FromSeconds(0.5), MaxDelay = TimeSpan.FromSeconds(2) },
        };
        return new EmulatorRun(time, emulator, inFlight, new PhotoshopClient(http, options));
    }

    /// <summary>Moves the clock in small steps, each only when nothing is on the wire, until <paramref name="work"/> ends.</summary>
    public async Task DriveAsync(Task work, int maxSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(maxSeconds);
        while (!work.IsCompleted)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The work did not finish within {maxSeconds} s of real time (fake clock at {Time.GetUtcNow():HH:mm:ss.fff}).");
            }

            await Task.Delay(1);
            if (_inFlight.Count == 0)
            {
                Time.Advance(Step);
            }
        }
    }

    /// <summary>Drives the clock until <paramref name="work"/> ends and returns its result.</summary>
    public async Task<T> RunAsync<T>(Task<T> work)
    {
        await DriveAsync(work);
        return await work;
    }

    public async ValueTask DisposeAsync()
    {
        Client.HttpClient.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>Counts requests that have left the client and not yet been answered.</summary>
    private sealed class InFlight : DelegatingHandler
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            try
            {
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}

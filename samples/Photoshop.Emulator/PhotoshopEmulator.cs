using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Photoshop.Emulator;

/// <summary>
/// A server on loopback that behaves like the Photoshop API: every v2, Remove Background and v1 psdService
/// operation of <c>openapi/photoshop.json</c> on one host, with the service's credentials check, rate limits,
/// error bodies and job life cycle, and optional injected faults and slow responses. Records every request.
/// Adobe I/O Events too: signed webhook deliveries and a journal (<see cref="RegisterEventsAsync"/>).
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { FaultRate = 0.2 });
/// var http = new HttpClient { BaseAddress = emulator.BaseAddress };
/// http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.Options.AccessToken);
/// http.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);
/// </code>
/// </example>
public sealed class PhotoshopEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Recorder _recorder;
    private readonly JobStore _jobs;
    private readonly ImsTokens _ims;
    private readonly EventHub _events;

    private PhotoshopEmulator(WebApplication app, EmulatorOptions options, Recorder recorder, JobStore jobs, ImsTokens ims, EventHub events)
    {
        _app = app;
        _recorder = recorder;
        _jobs = jobs;
        _ims = ims;
        _events = events;
        Options = options;
        BaseAddress = new Uri(app.Urls.Single() + "/");
    }

    /// <summary>The options the emulator runs with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>The emulator's root, <c>http://127.0.0.1:&lt;port&gt;/</c>: a client's <c>HttpClient.BaseAddress</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>
    /// The requests answered since the start or the last <see cref="ResetRecords"/>, in the order they were
    /// answered (the newest <see cref="EmulatorOptions.RecordLimit"/>): a snapshot, safe to read while requests arrive.
    /// </summary>
    public IReadOnlyList<RecordedRequest> Requests => _recorder.Snapshot();

    /// <summary>The IMS token endpoint, <c>&lt;BaseAddress&gt;ims/token/v3</c>, for sign-in with <see cref="EmulatorOptions.ApiKey"/> and <see cref="EmulatorOptions.ClientSecret"/>.</summary>
    public Uri TokenEndpoint => new(BaseAddress, ImsTokens.Path.TrimStart('/'));

    /// <summary>Requests the IMS token endpoint has received since the start.</summary>
    public int TokenRequests => _ims.Requests;

    /// <summary>
    /// The public keys (PEM) the emulator signs event deliveries with, by the path its
    /// <c>x-adobe-public-key1-path</c> and <c>-key2-path</c> headers name: a receiver's trusted keys, so
    /// tests never fetch Adobe's.
    /// </summary>
    public IReadOnlyDictionary<string, string> EventKeys => _events.PublicKeys;

    /// <summary>Counts since the start or the last <see cref="ResetRecords"/>; job states as of now.</summary>
    public EmulatorStats Stats => _recorder.Stats(_jobs.Count());

    /// <summary>Starts an emulator on a loopback port.</summary>
    /// <param name="options">How it behaves; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of its range.</exception>
    public static async Task<PhotoshopEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        options.Validate();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();

        var faults = new Faults(options);
        var recorder = new Recorder(options.RecordLimit);
        var jobs = new JobStore(options, faults);
        var events = new EventHub(options, faults);
        var pipeline = new RequestPipeline(options, faults, recorder, jobs, events);
        var ims = new ImsTokens(options);
        var journal = new JournalEndpoint(options, events);
        app.Run(context =>
            context.Request.Path == ImsTokens.Path ? ims.HandleAsync(context)
            : context.Request.Path.StartsWithSegments(JournalEndpoint.Prefix.TrimEnd('/')) ? journal.HandleAsync(context)
            : pipeline.HandleAsync(context));

        await app.StartAsync(cancellationToken);
        return new PhotoshopEmulator(app, options, recorder, jobs, ims, events);
    }

    /// <summary>
    /// Creates an Adobe I/O Events registration, as the Developer Console does: a webhook must first answer
    /// the challenge (<c>GET url?challenge=x</c>). From then on, every job sent with <c>x-gw-ims-org-id</c>
    /// sends a signed <c>photoshop-job-status</c> event to the webhook when it ends, and writes it to the
    /// registration's journal.
    /// </summary>
    /// <param name="registration">Where events go.</param>
    /// <param name="cancellationToken">Cancels the challenge.</param>
    /// <exception cref="InvalidOperationException">The webhook did not answer the challenge.</exception>
    public Task<EventRegistration> RegisterEventsAsync(EventRegistrationOptions registration, CancellationToken cancellationToken = default)
        => _events.RegisterAsync(registration, BaseAddress, cancellationToken);

    /// <summary>Forgets the recorded requests and zeroes <see cref="Stats"/>. Jobs stay readable; rate windows and arrival numbers go on.</summary>
    public void ResetRecords()
    {
        _recorder.Reset();
        _jobs.ResetCounts();
    }

    /// <summary>Completes when the host shuts down (Ctrl+C or SIGTERM in a console).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server and any event delivery.</summary>
    public async ValueTask DisposeAsync()
    {
        await _events.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

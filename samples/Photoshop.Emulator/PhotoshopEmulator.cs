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

    private PhotoshopEmulator(WebApplication app, EmulatorOptions options, Recorder recorder, JobStore jobs, ImsTokens ims)
    {
        _app = app;
        _recorder = recorder;
        _jobs = jobs;
        _ims = ims;
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
        var pipeline = new RequestPipeline(options, faults, recorder, jobs);
        var ims = new ImsTokens(options);
        app.Run(context => context.Request.Path == ImsTokens.Path ? ims.HandleAsync(context) : pipeline.HandleAsync(context));

        await app.StartAsync(cancellationToken);
        return new PhotoshopEmulator(app, options, recorder, jobs, ims);
    }

    /// <summary>Forgets the recorded requests and zeroes <see cref="Stats"/>. Jobs stay readable; rate windows and arrival numbers go on.</summary>
    public void ResetRecords()
    {
        _recorder.Reset();
        _jobs.ResetCounts();
    }

    /// <summary>Completes when the host shuts down (Ctrl+C or SIGTERM in a console).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

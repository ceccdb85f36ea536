using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Conduit.Adobe.Tests.Infrastructure;
using Conduit.Adobe.Tests.PhotoshopModels;
using Conduit.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Photoshop.Emulator;

namespace Conduit.Adobe.Tests;

/// <summary>
/// The whole path on loopback: a generated client starts a job with the organisation header, the emulator
/// signs and delivers the job's event to the receiver, and the job's wait completes from it long before its
/// fallback poll; without an event, the fallback poll completes it.
/// </summary>
public sealed class JobEventEndToEndTests : IAsyncLifetime
{
    private const string Org = "0123ABCD@AdobeOrg";
    private PhotoshopEmulator _emulator = null!;
    private ReceiverHost _receiver = null!;

    public async Task InitializeAsync()
    {
        _emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { JobDuration = TimeSpan.FromSeconds(3), EventDuplicateRate = 1 });
        _receiver = await ReceiverHost.StartAsync(new TrustedEventKeys(_emulator.EventKeys));
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_job_completes_from_its_event_long_before_the_fallback_poll()
    {
        var registration = await _emulator.RegisterEventsAsync(new EventRegistrationOptions { WebhookUrl = _receiver.Url, ClientId = ReceiverHost.ClientId });
        using var tokens = new ImsTokenProvider(Credentials());
        var client = Client(tokens, new JobPollingOptions { EventFallbackDelay = TimeSpan.FromMinutes(1) });
        var readings = new List<JobProgress<JobStatus>>();

        var job = await client.CreateCompositeAsync(Composite());
        var clock = Stopwatch.StartNew();
        var done = await job.WaitForCompletionAsync(new Recorder(readings));

        Assert.Equal(JobState.Succeeded, done.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"The wait took {clock.Elapsed}; the fallback poll comes after a minute.");
        Assert.Equal([false, true], readings.Select(r => r.AfterEvent));
        Assert.Equal(2, _emulator.Requests.Count(r => r.Method == "GET" && r.JobId == job.JobId));

        // The emulator delivered the event twice; the receiver handled it once.
        await Until(() => registration.Deliveries.Count == 2);
        Assert.All(registration.Deliveries, d => Assert.Equal(200, d.Status));
        var received = Assert.Single(await _receiver.UntilAsync(1));
        Assert.Equal(job.JobId, received.JobId);
        Assert.Equal(Org, received.Payload.Event.Header.ImsOrgId);
    }

    [Fact]
    public async Task Without_an_event_the_job_completes_by_its_fallback_poll()
    {
        using var tokens = new ImsTokenProvider(Credentials());
        var client = Client(tokens, new JobPollingOptions { EventFallbackDelay = TimeSpan.FromSeconds(1.5) });
        var readings = new List<JobProgress<JobStatus>>();

        var job = await client.CreateCompositeAsync(Composite());
        var done = await job.WaitForCompletionAsync(new Recorder(readings));

        // The job runs 3 s, so the first reading finds it pending even when a loaded machine is slow to start waiting.
        Assert.Equal(JobState.Succeeded, done.Status);
        Assert.False(readings[0].IsFinal, "The first reading already found the job finished.");
        Assert.All(readings, r => Assert.False(r.AfterEvent));
        Assert.InRange(readings[^1].Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        Assert.Empty(_receiver.Events);
    }

    private AdobeCredentials Credentials()
        => new(_emulator.Options.ApiKey, _emulator.Options.ClientSecret) { TokenEndpoint = _emulator.TokenEndpoint, OrganizationId = Org };

    private PhotoshopClient Client(ImsTokenProvider tokens, JobPollingOptions polling) => new(
        new HttpClient(new AdobeAuthenticationHandler(tokens) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _emulator.BaseAddress },
        new ConduitClientOptions { JobEvents = _receiver.Services.GetRequiredService<IJobEvents>(), Jobs = polling });

    private static CreateCompositeRequest Composite() => new()
    {
        Image = new ImageInput { Source = new FileSource { Url = new Uri("https://bucket.s3.amazonaws.com/in.jpg") } },
        Outputs = [new ImageOutput { Destination = new FileDestination { Url = new Uri("https://bucket.s3.amazonaws.com/out.psd") }, MediaType = ImageMediaType.ImageVndAdobePhotoshop }],
    };

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(5);
        }
    }

    private sealed class Recorder(List<JobProgress<JobStatus>> readings) : IProgress<JobProgress<JobStatus>>
    {
        public void Report(JobProgress<JobStatus> value)
        {
            lock (readings)
            {
                readings.Add(value);
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Jobs;
using Conduit.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests;

/// <summary>
/// Jobs woken by their events (<see cref="ConduitClientOptions.JobEvents"/>): the status is read as soon as
/// an event arrives, and every <see cref="JobPollingOptions.EventFallbackDelay"/> when none does. The fake
/// clock only moves when a test moves it, so a wait that ends without moving it ended from its event.
/// </summary>
public sealed class JobEventTests : IClassFixture<LoopbackServer>
{
    private const string JobId = "urn:ff:jobs:7";
    private static readonly OperationInfo Start = new("startJob", "POST", "/jobs");
    private static readonly OperationInfo Status = new("getStatus", "GET", "/v2/status/{jobId}");
    private static readonly JobDefinition<StatusBody> V2 = new(Status, "jobId", JobShape.V2, "/jobId", null, StatusBodyConverter.Instance);

    private readonly LoopbackServer _server;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeClockWire _wire;
    private readonly InProcessJobEvents _events = new();
    private readonly List<JobProgress<StatusBody>> _readings = new();

    public JobEventTests(LoopbackServer server)
    {
        _wire = new FakeClockWire(_time);
        _server = server;
        server.Reset();
    }

    private static Reply Accepted { get; } = new(202, $$"""{"jobId":"{{JobId}}"}""");

    private static Reply Running { get; } = new(200, $$"""{"jobId":"{{JobId}}","status":"running"}""");

    private static Reply Succeeded { get; } = new(200, $$"""{"jobId":"{{JobId}}","status":"succeeded"}""");

    [Fact]
    public async Task An_event_wakes_the_wait_at_once_and_the_status_is_read_after_it()
    {
        _server.Script(Accepted, Running, Succeeded);
        var wait = await StartWaitingAsync();
        await _server.UntilRequestsAsync(2);

        Assert.Equal(1, await PublishWhenListeningAsync());
        var done = await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("succeeded", done.Status);
        Assert.Equal([false, true], _readings.Select(r => r.AfterEvent));
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], _readings.Select(r => r.Elapsed));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Without_an_event_the_status_is_polled_every_fallback_delay()
    {
        _server.Script(Accepted, Running, Running, Succeeded);
        var wait = await StartWaitingAsync(new JobPollingOptions { EventFallbackDelay = TimeSpan.FromSeconds(30), FirstDelay = TimeSpan.FromSeconds(1) });

        await _wire.DriveAsync(wait, stepMilliseconds: 100);

        Assert.Equal("succeeded", (await wait).Status);
        AssertReadAt(0, 30, 60);
        Assert.All(_readings, r => Assert.False(r.AfterEvent));
    }

    [Fact]
    public async Task An_event_that_arrives_while_a_status_read_is_on_the_wire_is_not_lost()
    {
        _server.Script(Accepted, Running, Succeeded);
        PublishDuring(read: 2);

        var wait = await StartWaitingAsync();
        var done = await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("succeeded", done.Status);
        Assert.Equal([false, true], _readings.Select(r => r.AfterEvent));
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero], _readings.Select(r => r.Elapsed));
    }

    [Fact]
    public async Task An_event_about_another_job_does_not_wake_the_wait()
    {
        _server.Script(Accepted, Running, Succeeded);
        var wait = await StartWaitingAsync();
        await Until(Listening);

        Assert.Equal(0, _events.Publish("urn:ff:jobs:other"));
        await Task.Delay(100);
        Assert.False(wait.IsCompleted);
        Assert.Equal(2, _server.Requests.Count);

        await _wire.DriveAsync(wait, stepMilliseconds: 1000);
        Assert.Equal("succeeded", (await wait).Status);
        Assert.False(_readings[^1].AfterEvent);
    }

    [Fact]
    public async Task Duplicated_events_cost_one_more_read_and_an_unfinished_job_is_waited_for_again()
    {
        _server.Script(Accepted, Running, Running, Succeeded);
        PublishDuring(read: 2, times: 2);
        var wait = await StartWaitingAsync();

        await _server.UntilRequestsAsync(3);
        await Task.Delay(200);
        Assert.False(wait.IsCompleted);
        Assert.Equal(3, _server.Requests.Count);

        _events.Publish(JobId);
        Assert.Equal("succeeded", (await wait.WaitAsync(TimeSpan.FromSeconds(10))).Status);
        Assert.Equal([false, true, true], _readings.Select(r => r.AfterEvent));
    }

    [Fact]
    public async Task A_read_that_fails_after_an_event_is_tried_again_on_the_polling_schedule_not_the_fallback_s()
    {
        _server.Script(Accepted, Running, new Reply(503), new Reply(503), Succeeded);
        var wait = await StartWaitingAsync(new JobPollingOptions { FirstDelay = TimeSpan.FromSeconds(1), Growth = 2, EventFallbackDelay = TimeSpan.FromMinutes(10) });
        await PublishWhenListeningAsync();

        await _wire.DriveAsync(wait, stepMilliseconds: 100);

        Assert.Equal("succeeded", (await wait).Status);
        // Read again 1 s, then 2 s after the two failed reads (not reported); the fallback was 10 minutes.
        AssertReadAt(0, 3);
        Assert.False(_readings[^1].AfterEvent);
    }

    [Fact]
    public async Task The_wait_stops_listening_when_it_ends()
    {
        _server.Script(Accepted, Running, Succeeded);
        var wait = await StartWaitingAsync();
        await _server.UntilRequestsAsync(2);
        await PublishWhenListeningAsync();
        await wait.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, _events.Publish(JobId));
    }

    [Fact]
    public async Task The_deadline_still_holds_when_no_event_comes()
    {
        _server.Script(Accepted, Running);
        var wait = await StartWaitingAsync(new JobPollingOptions { Timeout = TimeSpan.FromSeconds(45), EventFallbackDelay = TimeSpan.FromSeconds(30) });

        await _wire.DriveAsync(wait, stepMilliseconds: 100);

        var e = await Assert.ThrowsAsync<JobTimeoutException>(() => wait);
        Assert.Equal(JobPhase.Running, e.LastPhase);
        AssertReadAt(0, 30, 45);
    }

    [Fact]
    public async Task Cancelling_the_wait_stops_listening()
    {
        _server.Script(Accepted, Running);
        using var cancel = new CancellationTokenSource();
        var wait = await StartWaitingAsync(cancellationToken: cancel.Token);
        await Until(Listening);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        Assert.Equal(0, _events.Publish(JobId));
    }

    [Fact]
    public void In_process_events_reach_every_listener_of_the_job_until_it_unsubscribes()
    {
        var events = new InProcessJobEvents();
        var calls = new List<string>();
        var a = events.Subscribe("j1", () => calls.Add("a"));
        using var b = events.Subscribe("j1", () => calls.Add("b"));
        using var c = events.Subscribe("j2", () => calls.Add("c"));

        Assert.Equal(2, events.Publish("j1"));
        a.Dispose();
        a.Dispose();
        Assert.Equal(1, events.Publish("j1"));
        Assert.Equal(0, events.Publish("j3"));

        Assert.Equal(["a", "b", "b"], calls);
    }

    [Fact]
    public void Dependency_injection_gives_generated_clients_the_container_s_event_source()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IJobEvents>(_events);
        ConduitServices.AddOptions(services);

        using var provider = services.BuildServiceProvider();

        Assert.Same(_events, ConduitServices.Options(provider).JobEvents);
    }

    private async Task<Task<StatusBody>> StartWaitingAsync(JobPollingOptions? polling = null, CancellationToken cancellationToken = default)
    {
        var connection = new ApiConnection(
            new HttpClient(_wire, disposeHandler: false),
            _server.BaseAddress.AbsoluteUri,
            new ConduitClientOptions
            {
                TimeProvider = _time,
                RateLimiters = new InProcessRateLimiterProvider(_time),
                Jobs = polling ?? new JobPollingOptions { EventFallbackDelay = TimeSpan.FromMinutes(10), Timeout = TimeSpan.FromHours(1) },
                JobEvents = _events,
            },
            "TestClient");
        var job = await connection.StartJobAsync(new ApiRequest(Start), V2, default);
        return job.WaitForCompletionAsync(new Recorder(_readings), cancellationToken);
    }

    /// <summary>
    /// Publishes the job's event while the server handles its <paramref name="read"/>-th request: the job
    /// ends after the service read its status, before the answer is back.
    /// </summary>
    private void PublishDuring(int read, int times = 1)
    {
        var scripted = _server.Responder;
        var answered = 0;
        _server.Responder = context =>
        {
            if (Interlocked.Increment(ref answered) == read)
            {
                for (var i = 0; i < times; i++)
                {
                    _events.Publish(JobId);
                }
            }

            return scripted(context);
        };
    }

    /// <summary>Publishes once the wait is listening between reads (its first read's answer may still be on its way back).</summary>
    private async Task<int> PublishWhenListeningAsync()
    {
        await Until(Listening);
        return _events.Publish(JobId);
    }

    private bool Listening()
    {
        lock (_readings)
        {
            return _readings.Count > 0;
        }
    }

    /// <summary>
    /// The readings were made at these seconds on the fake clock. The wire driver moves the clock whenever no
    /// request is on the wire, also in the instant between an answer and the wait that follows it, so a
    /// reading may come a few steps late, never early.
    /// </summary>
    private void AssertReadAt(params double[] seconds)
    {
        Assert.Equal(seconds.Length, _readings.Count);
        for (var i = 0; i < seconds.Length; i++)
        {
            Assert.InRange(_readings[i].Elapsed.TotalSeconds, seconds[i], seconds[i] + 2);
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(5);
        }
    }

    private sealed class Recorder(List<JobProgress<StatusBody>> readings) : IProgress<JobProgress<StatusBody>>
    {
        public void Report(JobProgress<StatusBody> value)
        {
            lock (readings)
            {
                readings.Add(value);
            }
        }
    }
}

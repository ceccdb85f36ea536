using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Jobs;
using Conduit.Json;
using Conduit.Policies;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests;

/// <summary>Job handles: starting, polling through the status operation, progress, failure and deadlines.</summary>
public sealed class JobTests : IClassFixture<LoopbackServer>
{
    private static readonly RetryRule FiveHundreds = new([500, 502, 503, 504], 3, BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: false);
    private static readonly OperationInfo Start = new("startJob", "POST", "/jobs");
    private static readonly OperationInfo Status = new("getStatus", "GET", "/v2/status/{jobId}", policy: new OperationPolicy(FiveHundreds));
    private static readonly OperationInfo V1Status = new("getV1Status", "GET", "/pie/psdService/status/{jobId}");

    private readonly LoopbackServer _server;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeClockWire _wire;

    public JobTests(LoopbackServer server)
    {
        _wire = new FakeClockWire(_time);
        _server = server;
        server.Reset();
    }

    private static JobDefinition<StatusBody> V2 { get; } = new(Status, "jobId", JobShape.V2, "/jobId", "/statusUrl", StatusBodyConverter.Instance);

    private static JobDefinition<StatusBody> V1 { get; } = new(V1Status, "jobId", JobShape.V1, null, "/_links/self/href", StatusBodyConverter.Instance);

    private ApiConnection Connection(JobPollingOptions? polling = null) => new(
        new HttpClient(_wire, disposeHandler: false),
        _server.BaseAddress.AbsoluteUri,
        new ConduitClientOptions { TimeProvider = _time, RateLimiters = new InProcessRateLimiterProvider(_time), Jobs = polling ?? new JobPollingOptions() },
        "TestClient");

    private static Reply Accepted(string id = "urn:ff:jobs:7") => new(202, $$"""{"jobId":"{{id}}","statusUrl":"https://image.example/v2/status/{{id}}"}""");

    private static Reply V2Status(string status, string extra = "") => new(200, $$"""{"jobId":"urn:ff:jobs:7","status":"{{status}}"{{extra}}}""");

    [Fact]
    public async Task A_job_is_polled_until_it_succeeds_reporting_each_reading()
    {
        _server.Script(Accepted(), V2Status("pending"), V2Status("running"), V2Status("succeeded"));
        var connection = Connection();
        var readings = new List<JobProgress<StatusBody>>();

        var job = await connection.StartJobAsync(new ApiRequest(Start), V2, default);
        var wait = job.WaitForCompletionAsync(new SynchronousProgress<JobProgress<StatusBody>>(readings.Add));
        await DriveAsync(wait);

        Assert.Equal("urn:ff:jobs:7", job.JobId);
        Assert.Equal(new Uri("https://image.example/v2/status/urn:ff:jobs:7"), job.StatusUrl);
        Assert.Equal("succeeded", (await wait).Status);
        Assert.Equal([JobPhase.Pending, JobPhase.Running, JobPhase.Succeeded], readings.Select(r => r.Phase));
        Assert.Equal([1, 2, 3], readings.Select(r => r.Poll));
        Assert.All(_server.Requests.Skip(1), r => Assert.Equal("/v2/status/urn%3Aff%3Ajobs%3A7", r.Target));
    }

    [Fact]
    public async Task Polls_wait_longer_each_time_up_to_the_longest_wait()
    {
        _server.Script([Accepted(), .. Enumerable.Repeat(V2Status("running"), 6), V2Status("succeeded")]);
        var connection = Connection(new JobPollingOptions { FirstDelay = TimeSpan.FromSeconds(1), Growth = 2, MaxDelay = TimeSpan.FromSeconds(5) });
        var readings = new List<JobProgress<StatusBody>>();

        var job = await connection.StartJobAsync(new ApiRequest(Start), V2, default);
        var wait = job.WaitForCompletionAsync(new SynchronousProgress<JobProgress<StatusBody>>(readings.Add));
        await DriveAsync(wait);
        await wait;

        var gaps = readings.Zip(readings.Skip(1), (a, b) => Math.Round((b.Elapsed - a.Elapsed).TotalSeconds)).ToArray();
        Assert.Equal([1, 2, 4, 5, 5, 5], gaps);
    }

    [Fact]
    public async Task A_failed_job_throws_with_the_service_s_errors_and_a_hint()
    {
        _server.Script(Accepted(), V2Status("failed", ""","errorDetails":[{"errorCode":"400401","message":"The input link has expired"}]"""));
        var job = await Connection().StartJobAsync(new ApiRequest(Start), V2, default);

        var wait = job.WaitForCompletionAsync();
        await DriveAsync(wait);
        var e = await Assert.ThrowsAsync<JobFailedException<StatusBody>>(() => wait);

        Assert.Equal("startJob", e.OperationId);
        Assert.Equal("urn:ff:jobs:7", e.JobId);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("400401", "The input link has expired"), (error.Code, error.Message));
        Assert.Contains("input link had expired", e.Hint);
        Assert.Contains("400401: The input link has expired", e.Message);
        Assert.Equal("failed", e.Status.Status);
    }

    [Fact]
    public async Task A_v1_job_is_found_by_its_status_url_and_done_when_every_output_is()
    {
        var href = _server.BaseAddress.AbsoluteUri + "pie/psdService/status/f00d-1";
        _server.Script(
            new Reply(202, """{"_links":{"self":{"href":"HREF"}}}""".Replace("HREF", href, StringComparison.Ordinal)),
            new Reply(202, """{"jobId":"f00d-1","outputs":[{"status":"succeeded"},{"status":"running"}]}"""),
            new Reply(200, """{"jobId":"f00d-1","outputs":[{"status":"succeeded"},{"status":"failed","errors":{"type":"FileLinkInvalidError","code":"410","title":"The output link is not valid"}}]}"""));
        var readings = new List<JobProgress<StatusBody>>();
        var job = await Connection().StartJobAsync(new ApiRequest(Start), V1, default);

        var wait = job.WaitForCompletionAsync(new SynchronousProgress<JobProgress<StatusBody>>(readings.Add));
        await DriveAsync(wait);
        var e = await Assert.ThrowsAsync<JobFailedException<StatusBody>>(() => wait);

        Assert.Equal("f00d-1", job.JobId);
        Assert.Equal((1, 2, "running"), (readings[0].OutputsDone, readings[0].OutputsTotal, readings[0].Status));
        Assert.Equal(new JobError("FileLinkInvalidError", "The output link is not valid", 1), Assert.Single(e.Errors));
        Assert.Equal("/pie/psdService/status/f00d-1", _server.Requests[1].Target);
    }

    [Fact]
    public async Task A_poll_that_fails_after_its_retries_is_tried_again_at_the_next_poll()
    {
        _server.Script(Accepted(), new Reply(503), new Reply(503), new Reply(503), new Reply(503), V2Status("succeeded"));
        var job = await Connection().StartJobAsync(new ApiRequest(Start), V2, default);

        var wait = job.WaitForCompletionAsync();
        await DriveAsync(wait);

        Assert.Equal("succeeded", (await wait).Status);
        Assert.Equal(6, _server.Requests.Count);
    }

    [Fact]
    public async Task A_poll_refused_for_a_client_error_ends_the_wait()
    {
        _server.Script(Accepted(), new Reply(401, """{"error_code":"unauthorized","message":"Bad token"}"""));
        var job = await Connection().StartJobAsync(new ApiRequest(Start), V2, default);

        var wait = job.WaitForCompletionAsync();
        await DriveAsync(wait);

        var e = await Assert.ThrowsAsync<ApiException>(() => wait);
        Assert.Equal(401, (int)e.StatusCode!);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_job_not_done_by_the_deadline_throws_a_timeout_that_says_where_it_was()
    {
        _server.Script(Accepted(), V2Status("running"));
        var job = await Connection(new JobPollingOptions { Timeout = TimeSpan.FromSeconds(20) }).StartJobAsync(new ApiRequest(Start), V2, default);

        var wait = job.WaitForCompletionAsync();
        await DriveAsync(wait);

        var e = await Assert.ThrowsAsync<JobTimeoutException>(() => wait);
        Assert.Equal(JobPhase.Running, e.LastPhase);
        Assert.InRange(e.Waited.TotalSeconds, 20, 21);
        Assert.Contains("last seen running", e.Message);
    }

    [Fact]
    public async Task An_accepted_answer_that_names_no_job_is_an_error_that_says_so()
    {
        _server.Script(new Reply(202, """{"message":"queued"}"""));

        var e = await Assert.ThrowsAsync<ApiException>(() => Connection().StartJobAsync(new ApiRequest(Start), V2, default));

        Assert.Contains("names no job (looked for /jobId)", e.Message);
    }

    [Theory]
    [InlineData("https://image.adobe.io/pie/psdService/status/abc-1", "abc-1")]
    [InlineData("http://127.0.0.1:5000/proxy/pie/psdService/status/a%20b?x=1", "a b")]
    [InlineData("https://image.adobe.io/pie/psdService/other/abc", null)]
    [InlineData("https://image.adobe.io/pie/psdService/status/a/b", null)]
    public void A_job_id_is_read_from_a_status_url_by_the_status_operation_s_template(string url, string? expected)
        => Assert.Equal(expected, ApiConnection.JobIdFromUrl(url, "/pie/psdService/status/{jobId}", "jobId"));

    private Task DriveAsync(Task wait) => _wire.DriveAsync(wait, stepMilliseconds: 100);

    /// <summary>Reports on the caller's thread, unlike <see cref="Progress{T}"/>.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value)
        {
            lock (this)
            {
                report(value);
            }
        }
    }
}

/// <summary>A status answer as a generated model would read it.</summary>
public sealed record StatusBody(string? JobId, string? Status);

/// <summary>A hand-written converter shaped like a generated one.</summary>
public sealed class StatusBodyConverter : ConduitConverter<StatusBody>
{
    public static StatusBodyConverter Instance { get; } = new();

    public override StatusBody Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonRead.StartObject(ref reader, "StatusBody");
        string? id = null, status = null;
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "jobId": id = JsonRead.Ref(ref reader, Converters.String, options); break;
                case "status": status = JsonRead.Ref(ref reader, Converters.String, options); break;
                default: reader.Skip(); break;
            }
        }

        return new StatusBody(id, status);
    }

    public override void Write(Utf8JsonWriter writer, StatusBody value, JsonSerializerOptions options) => throw new NotSupportedException();
}

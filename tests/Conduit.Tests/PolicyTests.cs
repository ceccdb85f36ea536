using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Policies;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Tests;

/// <summary>Retry and rate limits as the connection applies them, against a real server on loopback, on a fake clock.</summary>
public sealed class PolicyTests : IClassFixture<LoopbackServer>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);
    private static readonly RetryRule FiveHundreds = new([500, 502, 503, 504], 3, BackoffKind.Exponential, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), jitter: false);

    private readonly LoopbackServer _server;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));
    private readonly FakeClockWire _wire;

    public PolicyTests(LoopbackServer server)
    {
        _wire = new FakeClockWire(_time);
        _server = server;
        server.Reset();
    }

    private ConduitClientOptions Options(string partition = "default") => new()
    {
        TimeProvider = _time,
        RateLimiters = new InProcessRateLimiterProvider(_time),
        RateLimitPartition = partition,
    };

    private static OperationInfo Operation(RetryRule? retry = null, string method = "GET", params RateLimitRule[] limits)
        => new("op", method, "/items", policy: new OperationPolicy(retry, limits));

    private ApiConnection Connection(ConduitClientOptions options)
        => new(new HttpClient(_wire, disposeHandler: false), _server.BaseAddress.AbsoluteUri, options, "TestClient");

    [Fact]
    public async Task Retries_a_listed_status_with_exponential_back_off()
    {
        _server.Script(new Reply(503), new Reply(502), new Reply(200, "\"done\""));
        var connection = Connection(Options());

        var call = connection.SendForTextAsync(new ApiRequest(Operation(FiveHundreds)), default);
        await DriveAsync(call);

        Assert.Equal("\"done\"", await call);
        AssertGaps(1, 2);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(422)]
    [InlineData(429)]
    public async Task Never_retries_a_4xx(int status)
    {
        _server.Reply(status);
        var connection = Connection(Options());

        var e = await Assert.ThrowsAsync<ApiException>(() => connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), default));

        Assert.Equal(status, (int)e.StatusCode!);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Gives_up_after_the_rule_s_retries_with_the_last_answer()
    {
        _server.Reply(500, """{"message":"boom"}""");
        var connection = Connection(Options());

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), default);
        await DriveAsync(call);

        var e = await Assert.ThrowsAsync<ApiException>(() => call);
        Assert.Equal(HttpStatusCode.InternalServerError, e.StatusCode);
        Assert.Contains("boom", e.ResponseBody);
        AssertGaps(1, 2, 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retry_After_lengthens_the_wait_in_seconds_or_as_a_date(bool asDate)
    {
        var retryAfter = asDate ? _time.GetUtcNow().AddSeconds(7).ToString("R") : "7";
        _server.Script(new Reply(503, null, ("Retry-After", retryAfter)), new Reply(204));
        var connection = Connection(Options());

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), default);
        await DriveAsync(call);

        await call;
        AssertGaps(7);
    }

    [Fact]
    public async Task A_retried_request_sends_the_same_body_again()
    {
        _server.Script(new Reply(503), new Reply(204));
        var connection = Connection(Options());
        var request = new ApiRequest(Operation(FiveHundreds, "POST"));
        request.JsonBody(new Point(1, 2), PointConverter.Instance, "application/json");

        var call = connection.SendAsync(request, default);
        await DriveAsync(call);
        await call;

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].Text, _server.Requests[1].Text);
        Assert.Contains("\"x\":1", _server.Requests[1].Text);
    }

    [Fact]
    public async Task A_body_from_a_stream_that_cannot_seek_is_not_retried_and_the_caller_gets_the_answer()
    {
        _server.Script(new Reply(503, """{"message":"busy"}"""), new Reply(204));
        var connection = Connection(Options());
        var request = new ApiRequest(Operation(FiveHundreds, "POST"));
        request.StreamBody(new OneWayStream(new byte[] { 1, 2, 3 }));

        var e = await Assert.ThrowsAsync<ApiException>(() => connection.SendAsync(request, default));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, e.StatusCode);
        Assert.Single(_server.Requests);
        Assert.False(request.CanSendAgain);
    }

    /// <summary>A stream that can be read once, front to back, like a network stream.</summary>
    private sealed class OneWayStream(byte[] bytes) : System.IO.MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    [Fact]
    public async Task Cancelling_during_back_off_stops_the_retries()
    {
        _server.Reply(503);
        var connection = Connection(Options());
        using var cancel = new CancellationTokenSource();

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), cancel.Token);
        await _server.UntilRequestsAsync(1);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(50);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Callers_beyond_the_limit_queue_instead_of_failing()
    {
        var operation = Operation(limits: new RateLimitRule("api", "GET", Window, 2, 3));
        var connection = Connection(Options());

        var calls = Task.WhenAll(Enumerable.Range(0, 5).Select(_ => connection.SendAsync(new ApiRequest(operation), default)));
        await DriveAsync(calls);
        await calls;

        Assert.Equal(5, _server.Requests.Count);
        var sent = _wire.Sent;
        var offsets = sent.Select(t => Math.Round((t - sent[0]).TotalSeconds, 1)).ToArray();
        Assert.Equal([0, 0], offsets[..2]);
        Assert.All(offsets[2..4], o => Assert.InRange(o, 3, 3.25));
        Assert.InRange(offsets[4], 6, 6.5);
    }

    [Fact]
    public async Task Every_attempt_takes_a_permit_retries_included()
    {
        // The back-off is 1 s, but the only permit of the 3 s window went to the first attempt.
        _server.Script(new Reply(503), new Reply(204));
        var operation = Operation(FiveHundreds, limits: new RateLimitRule("api", "GET", Window, 1, 1));
        var connection = Connection(Options());

        var call = connection.SendAsync(new ApiRequest(operation), default);
        await DriveAsync(call);

        await call;
        AssertGaps(3);
    }

    [Fact]
    public async Task Clients_with_the_same_credentials_share_one_limit_and_other_partitions_do_not()
    {
        var operation = Operation(limits: new RateLimitRule("api", "GET", Window, 1, 1));
        var options = Options();
        using var otherHttp = new HttpClient();
        var first = Connection(options);
        var second = new ApiConnection(otherHttp, _server.BaseAddress.AbsoluteUri, options, "TestClient");
        var otherOrganisation = Connection(new ConduitClientOptions { TimeProvider = _time, RateLimiters = options.RateLimiters, RateLimitPartition = "other-org" });

        await first.SendAsync(new ApiRequest(operation), default);
        var waiting = second.SendAsync(new ApiRequest(operation), default);
        await otherOrganisation.SendAsync(new ApiRequest(operation), default);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, _server.Requests.Count);

        _time.Advance(Window);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_429_holds_the_limit_back_for_its_Retry_After_without_retrying()
    {
        _server.Script(new Reply(429, null, ("Retry-After", "10")), new Reply(204));
        var operation = Operation(FiveHundreds, limits: new RateLimitRule("api", "GET", Window, 100, 110));
        var connection = Connection(Options());

        var e = await Assert.ThrowsAsync<ApiException>(() => connection.SendAsync(new ApiRequest(operation), default));
        Assert.Equal(HttpStatusCode.TooManyRequests, e.StatusCode);

        var next = connection.SendAsync(new ApiRequest(operation), default);
        _time.Advance(TimeSpan.FromSeconds(9.9));
        await Task.Delay(50);
        Assert.Single(_server.Requests);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task A_full_queue_refuses_the_call_with_a_clear_exception_and_sends_nothing()
    {
        var operation = Operation(limits: new RateLimitRule("api", "GET", Window, 1, 1));
        var options = Options();
        options.RateLimitQueueLimit = 1;
        var connection = Connection(options);
        await connection.SendAsync(new ApiRequest(operation), default);
        var queued = connection.SendAsync(new ApiRequest(operation), default);

        var e = await Assert.ThrowsAsync<RateLimitQueueFullException>(() => connection.SendAsync(new ApiRequest(operation), default));

        Assert.Contains("op was not sent: 1 calls are already waiting for its rate limit (api GET (default))", e.Message);
        Assert.Contains("RateLimitQueueLimit", e.Message);
        _time.Advance(Window);
        await queued.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Retries_are_reported_on_Polly_s_meter()
    {
        var events = new List<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Polly" && instrument.Name == "resilience.polly.strategy.events")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, _, tags, _) =>
        {
            var tagList = tags.ToArray();
            if (tagList.Any(t => t.Key == "pipeline.name" && (string?)t.Value == "TestClient"))
            {
                lock (events)
                {
                    events.Add((string)tagList.First(t => t.Key == "event.name").Value!);
                }
            }
        });
        listener.Start();
        _server.Script(new Reply(503), new Reply(204));
        var connection = Connection(Options());

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), default);
        await DriveAsync(call);
        await call;

        lock (events)
        {
            Assert.Contains("OnRetry", events);
        }
    }

    [Fact]
    public async Task Retries_are_logged_through_the_options_logger_factory()
    {
        var logs = new CapturingLoggerFactory();
        var options = Options();
        options.LoggerFactory = logs;
        _server.Script(new Reply(503), new Reply(204));
        var connection = Connection(options);

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds)), default);
        await DriveAsync(call);
        await call;

        Assert.Contains(logs.Lines, line => line.Contains("OnRetry", StringComparison.Ordinal) && line.Contains("TestClient", StringComparison.Ordinal));
    }

    /// <summary>Keeps every formatted log line of every logger it makes.</summary>
    private sealed class CapturingLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory, Microsoft.Extensions.Logging.ILogger
    {
        private readonly List<string> _lines = new();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }
        }

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception));
            }
        }

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Strategies_of_the_user_s_own_run_for_every_attempt()
    {
        // With ConfigurePipeline, every attempt goes through the pipeline: none is sent past the user's strategies.
        var attempts = 0;
        var options = Options();
        options.ConfigurePipeline = (builder, operation) => Polly.ResiliencePipelineBuilderExtensions.AddStrategy(builder, _ => new Counting(() => Interlocked.Increment(ref attempts)), new CountingOptions());
        _server.Script(new Reply(503), new Reply(204));
        var connection = Connection(options);

        var call = connection.SendAsync(new ApiRequest(Operation(FiveHundreds, limits: new RateLimitRule("api", "GET", Window, 10, 10))), default);
        await DriveAsync(call);
        await call;

        Assert.Equal(2, attempts);
        Assert.Equal(2, _server.Requests.Count);
    }

    private sealed class Counting(Action count) : Polly.ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Polly.Outcome<HttpResponseMessage>> ExecuteCore<TState>(Func<Polly.ResilienceContext, TState, ValueTask<Polly.Outcome<HttpResponseMessage>>> callback, Polly.ResilienceContext context, TState state)
        {
            count();
            return callback(context, state);
        }
    }

    private sealed class CountingOptions : Polly.ResilienceStrategyOptions;

    [Fact]
    public async Task Options_cannot_change_once_a_client_has_used_them()
    {
        var options = Options();
        await Connection(options).SendAsync(new ApiRequest(Operation()), default);

        var e = Assert.Throws<InvalidOperationException>(() => options.RateLimitShare = 0.5);
        Assert.Contains("create new ConduitClientOptions", e.Message);
        Assert.Throws<InvalidOperationException>(() => ConduitClientOptions.Default.RateLimitQueueLimit = 5);
    }

    private Task DriveAsync(Task call) => _wire.DriveAsync(call);

    /// <summary>Each gap between sends is at least the expected wait, and late by no more than a few clock steps.</summary>
    private void AssertGaps(params double[] seconds)
    {
        var arrivals = _wire.Sent;
        Assert.Equal(seconds.Length + 1, arrivals.Count);
        for (var i = 0; i < seconds.Length; i++)
        {
            var gap = arrivals[i + 1] - arrivals[i];
            Assert.InRange(gap.TotalSeconds, seconds[i], seconds[i] + 0.25);
        }
    }

    [Fact]
    public void A_share_scales_each_limit_down_but_never_below_one()
    {
        var rule = new RateLimitRule("photoshop", "POST", Window, 15, 16);

        Assert.Equal(3, RateLimitSettings.For(rule, new ConduitClientOptions { RateLimitShare = 0.25 }).PermitLimit);
        Assert.Equal(1, RateLimitSettings.For(rule, new ConduitClientOptions { RateLimitShare = 0.01 }).PermitLimit);
        Assert.Equal(TimeSpan.Zero, RateLimitSettings.For(rule, new ConduitClientOptions()).Margin);
    }
}

using System;
using System.Collections.Concurrent;
using System.Net.Http;
using Conduit.Http;
using Conduit.Jobs;
using Conduit.Policies;
using Microsoft.Extensions.Logging;
using Polly;

namespace Conduit;

/// <summary>
/// How a generated client applies its document's rules at run time: the clock, where rate limiters come
/// from and whose limit they count, telemetry, and how jobs are followed. The rules themselves (which
/// statuses to retry, how many requests per window) come from the document and the client's attributes.
/// </summary>
/// <remarks>
/// Like <see cref="HttpClient"/>'s settings, options are fixed once a client has sent its first request
/// with them: pipelines are built from them once and shared by every client using the same instance.
/// </remarks>
public sealed class ConduitClientOptions
{
    private readonly ConcurrentDictionary<OperationInfo, OperationPipeline> _pipelines = new();
    private TimeProvider _timeProvider = TimeProvider.System;
    private RateLimiterProvider _rateLimiters = InProcessRateLimiterProvider.Shared;
    private string _partition = "default";
    private double _share = 1;
    private TimeSpan _margin;
    private int _queueLimit = 1000;
    private ILoggerFactory? _loggerFactory;
    private Action<ResiliencePipelineBuilder<HttpResponseMessage>, OperationInfo>? _configurePipeline;
    private JobPollingOptions _jobs = new();
    private IJobEvents? _jobEvents;
    private bool _inUse;

    /// <summary>Options with every default: the shared in-process limiters, the system clock, no logging.</summary>
    public static ConduitClientOptions Default { get; } = new();

    /// <summary>The clock for retry delays, rate-limit windows and job polling. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get => _timeProvider; set => Set(ref _timeProvider, value ?? throw new ArgumentNullException(nameof(value))); }

    /// <summary>
    /// Where rate limiters come from. Default: <see cref="InProcessRateLimiterProvider.Shared"/>, so every
    /// client in the process shares one limiter per limit. A provider must use <see cref="TimeProvider"/>'s
    /// clock for its windows if tests are to control it.
    /// </summary>
    public RateLimiterProvider RateLimiters { get => _rateLimiters; set => Set(ref _rateLimiters, value ?? throw new ArgumentNullException(nameof(value))); }

    /// <summary>
    /// Whose limits the client counts against. Default <c>"default"</c>: every client in the process shares
    /// each limit, which never exceeds it even when clients use different credentials. Set it to the
    /// credential's client id when one process serves several organisations, each with its own limits.
    /// </summary>
    public string RateLimitPartition { get => _partition; set => Set(ref _partition, string.IsNullOrEmpty(value) ? throw new ArgumentException("A partition needs a name.", nameof(value)) : value); }

    /// <summary>
    /// The share of each limit this client's process may use, from 0 (exclusive) to 1 (default). With four
    /// workers on one credential and no shared provider, give each 0.25.
    /// </summary>
    public double RateLimitShare
    {
        get => _share;
        set => Set(ref _share, value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The share must be greater than 0 and at most 1."));
    }

    /// <summary>
    /// Time added to each window on the client's side. A permit already counts until a whole window after
    /// the service answered, which covers any delay on the way there; a margin only adds safety against a
    /// service that counts less exactly than its document says. Default: none.
    /// </summary>
    public TimeSpan RateLimitMargin
    {
        get => _margin;
        set => Set(ref _margin, value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The margin cannot be negative."));
    }

    /// <summary>
    /// How many requests may wait for a permit of one limiter. Callers queue rather than fail; once this
    /// many wait, further calls throw <see cref="RateLimitQueueFullException"/> without being sent. Default 1,000.
    /// </summary>
    public int RateLimitQueueLimit
    {
        get => _queueLimit;
        set => Set(ref _queueLimit, value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The queue limit cannot be negative."));
    }

    /// <summary>Receives Polly's resilience events (retries, rate-limiter rejections). Polly's meter reports them either way.</summary>
    public ILoggerFactory? LoggerFactory { get => _loggerFactory; set => Set(ref _loggerFactory, value); }

    /// <summary>
    /// Adds strategies of your own to each operation's pipeline, inside Conduit's retry and rate limiter
    /// (so they run once per attempt): a per-attempt timeout, say. Called once per operation.
    /// </summary>
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>, OperationInfo>? ConfigurePipeline { get => _configurePipeline; set => Set(ref _configurePipeline, value); }

    /// <summary>How jobs are polled to completion.</summary>
    public JobPollingOptions Jobs { get => _jobs; set => Set(ref _jobs, value ?? throw new ArgumentNullException(nameof(value))); }

    /// <summary>
    /// Where jobs hear about their events (a webhook receiver such as Conduit.Adobe's). When set, a job's
    /// wait reads the status as soon as an event about it arrives and otherwise polls only every
    /// <see cref="JobPollingOptions.EventFallbackDelay"/>. Default: none; jobs are polled.
    /// </summary>
    public IJobEvents? JobEvents { get => _jobEvents; set => Set(ref _jobEvents, value); }

    /// <summary>The pipeline for <paramref name="operation"/>, built on first use.</summary>
    internal OperationPipeline PipelineFor(OperationInfo operation, string clientName)
    {
        if (_pipelines.TryGetValue(operation, out var pipeline))
        {
            return pipeline;
        }

        _inUse = true;
        return _pipelines.GetOrAdd(operation, static (op, state) => OperationPipeline.Build(op, state.options, state.clientName), (options: this, clientName));
    }

    private void Set<T>(ref T field, T value)
    {
        if (_inUse || ReferenceEquals(this, Default))
        {
            throw new InvalidOperationException("These options are in use by a client (or are the shared defaults) and can no longer change; create new ConduitClientOptions.");
        }

        field = value;
    }
}

using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using Conduit.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;

namespace Conduit.Policies;

/// <summary>
/// An operation's rules made executable: a Polly pipeline with the document's retry strategy outside and
/// one rate limiter per limit inside, so that every attempt, retries included, takes a permit.
/// </summary>
/// <remarks>
/// The common call needs neither: its permits are free and its answer is not one to retry. When the
/// limiters can say so at once (<see cref="TryTakePermits"/>) and no strategies of the user's are in the
/// pipeline, the call is sent directly, and only an answer the rule retries enters the pipeline, as its
/// first attempt (<see cref="FirstAnswerKey"/>), so Polly decides, delays, reports and counts the
/// retries exactly as if it had sent it. What this saves is Polly's per-call state on the wire's path.
/// </remarks>
internal sealed class OperationPipeline
{
    private static readonly RateLimitKey[] NoLimits = [];

    /// <summary>The call being made, for the retry strategy to see whether it can be sent again.</summary>
    public static readonly ResiliencePropertyKey<ApiRequest> RequestKey = new("Conduit.Request");

    /// <summary>An answer already received outside the pipeline, to count as its first attempt.</summary>
    public static readonly ResiliencePropertyKey<HttpResponseMessage?> FirstAnswerKey = new("Conduit.FirstAnswer");

    private readonly RateLimiterProvider _limiters;
    private readonly RateLimitKey[] _keys;
    private readonly RateLimitRule[] _rules;
    private readonly TimeProvider _time;
    private readonly RetryRule? _retry;
    private readonly SlidingLogRateLimiter[]? _direct;

    private OperationPipeline(ResiliencePipeline<HttpResponseMessage> pipeline, RateLimiterProvider limiters, RateLimitKey[] keys, RateLimitRule[] rules, TimeProvider time, RetryRule? retry, SlidingLogRateLimiter[]? direct)
    {
        Pipeline = pipeline;
        _limiters = limiters;
        _keys = keys;
        _rules = rules;
        _time = time;
        _retry = retry;
        _direct = direct;
    }

    /// <summary>Whether a call may be sent without the pipeline when its permits are free (see the remarks).</summary>
    public bool CanSendDirectly => _direct is not null;

    /// <summary>The Polly pipeline an attempt runs through.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Whether the pipeline does nothing, so the call can skip it.</summary>
    public bool IsEmpty => ReferenceEquals(Pipeline, ResiliencePipeline<HttpResponseMessage>.Empty);

    /// <summary>Builds the pipeline for <paramref name="operation"/>.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Polly validates strategy options with data annotations; FirstAnswerOptions declares none, and its members are kept below.")]
    [DynamicDependency(DynamicallyAccessedMemberTypes.All, typeof(FirstAnswerOptions))]
    public static OperationPipeline Build(OperationInfo operation, ConduitClientOptions options, string clientName)
    {
        var policy = operation.Policy;
        var rules = new RateLimitRule[policy.RateLimits.Count];
        var keys = rules.Length == 0 ? NoLimits : new RateLimitKey[rules.Length];
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>
        {
            Name = clientName,
            InstanceName = operation.OperationId,
            TimeProvider = options.TimeProvider,
        };

        var retries = policy.Retry is { MaxRetries: > 0 };
        if (!retries && rules.Length == 0 && options.ConfigurePipeline is null)
        {
            return new OperationPipeline(ResiliencePipeline<HttpResponseMessage>.Empty, options.RateLimiters, keys, rules, options.TimeProvider, null, null);
        }

        if (retries)
        {
            builder.AddRetry(RetryOptions(policy.Retry!, options.TimeProvider));
            builder.AddStrategy(_ => new FirstAnswer(), new FirstAnswerOptions());
        }

        var direct = options.ConfigurePipeline is null ? new SlidingLogRateLimiter[rules.Length] : null;
        for (var i = 0; i < rules.Length; i++)
        {
            var rule = rules[i] = policy.RateLimits[i];
            keys[i] = new RateLimitKey(options.RateLimitPartition, rule.Group, rule.Method ?? operation.Method);
            var limiter = options.RateLimiters.GetLimiter(keys[i], RateLimitSettings.For(rule, options));
            if (direct is not null)
            {
                // Another provider's limiters (a distributed one, say) are always asked through the pipeline.
                if (limiter is SlidingLogRateLimiter sliding)
                {
                    direct[i] = sliding;
                }
                else
                {
                    direct = null;
                }
            }

            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "RateLimiter " + keys[i].Group + " " + keys[i].Method,
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            });
        }

        options.ConfigurePipeline?.Invoke(builder, operation);
        builder.ConfigureTelemetry(options.LoggerFactory ?? NullLoggerFactory.Instance);
        return new OperationPipeline(builder.Build(), options.RateLimiters, keys, rules, options.TimeProvider, retries ? policy.Retry : null, direct);
    }

    /// <summary>
    /// Takes one permit of every limiter of the operation, if each can give it now without anyone
    /// waiting ahead; otherwise takes none. Dispose the result when the answer has arrived.
    /// </summary>
    public bool TryTakePermits(out Permits permits)
    {
        permits = default;
        var limiters = _direct!;
        RateLimitLease? first = null;
        RateLimitLease[]? rest = limiters.Length > 1 ? new RateLimitLease[limiters.Length - 1] : null;
        for (var i = 0; i < limiters.Length; i++)
        {
            var lease = limiters[i].AttemptAcquire();
            if (!lease.IsAcquired)
            {
                lease.Dispose();
                new Permits(first, rest).Dispose();
                return false;
            }

            if (i == 0)
            {
                first = lease;
            }
            else
            {
                rest![i - 1] = lease;
            }
        }

        permits = new Permits(first, rest);
        return true;
    }

    /// <summary>Whether the rule retries this answer, so the call must go on through the pipeline.</summary>
    public bool Retries(HttpResponseMessage response, ApiRequest request)
        => _retry is not null && _retry.Allows((int)response.StatusCode) && request.CanSendAgain;

    /// <summary>
    /// Looks at each answer: a 429 holds the operation's limiters back for the time the service asks
    /// (its <c>Retry-After</c>, else one window), so no caller sends into a limit the service says is spent.
    /// </summary>
    public void Observe(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.TooManyRequests)
        {
            return;
        }

        var retryAfter = RetryAfter.Of(response, _time);
        for (var i = 0; i < _keys.Length; i++)
        {
            _limiters.Throttled(_keys[i], retryAfter ?? _rules[i].Window);
        }
    }

    /// <summary>Describes the limits for an error message.</summary>
    public string DescribeLimits() => _keys.Length == 0 ? "none" : string.Join(", ", Array.ConvertAll(_keys, k => k.ToString()));

    private static RetryStrategyOptions<HttpResponseMessage> RetryOptions(RetryRule rule, TimeProvider time) => new()
    {
        // Only the statuses the rule names: a 4xx (429 included) or a failure without answer is never
        // retried, nor a request whose body cannot be sent again.
        ShouldHandle = args => new ValueTask<bool>(
            args.Outcome.Result is { } response
            && rule.Allows((int)response.StatusCode)
            && (!args.Context.Properties.TryGetValue(RequestKey, out var request) || request.CanSendAgain)),
        MaxRetryAttempts = rule.MaxRetries,
        BackoffType = rule.Backoff switch
        {
            BackoffKind.Constant => DelayBackoffType.Constant,
            BackoffKind.Linear => DelayBackoffType.Linear,
            _ => DelayBackoffType.Exponential,
        },
        Delay = rule.BaseDelay,
        MaxDelay = rule.MaxDelay,
        UseJitter = rule.Jitter,

        // Retry-After lengthens a wait, never shortens it; null lets Polly compute its jittered back-off.
        DelayGenerator = rule.RespectRetryAfter
            ? args => new ValueTask<TimeSpan?>(args.Outcome.Result is { } response && RetryAfter.Of(response, time) is { } wait
                ? Max(wait, rule.NominalDelay(args.AttemptNumber + 1))
                : null)
            : null,
    };

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>The permits of one direct send.</summary>
    internal readonly struct Permits(RateLimitLease? first, RateLimitLease[]? rest) : IDisposable
    {
        public void Dispose()
        {
            first?.Dispose();
            foreach (var lease in rest ?? [])
            {
                lease?.Dispose();
            }
        }
    }

    /// <summary>Hands the pipeline the answer received outside it as its first attempt's outcome, once.</summary>
    private sealed class FirstAnswer : ResilienceStrategy<HttpResponseMessage>
    {
        protected override ValueTask<Outcome<HttpResponseMessage>> ExecuteCore<TState>(
            Func<ResilienceContext, TState, ValueTask<Outcome<HttpResponseMessage>>> callback,
            ResilienceContext context,
            TState state)
        {
            if (context.Properties.TryGetValue(FirstAnswerKey, out var answer) && answer is not null)
            {
                context.Properties.Set(FirstAnswerKey, null);
                return new ValueTask<Outcome<HttpResponseMessage>>(Outcome.FromResult(answer));
            }

            return callback(context, state);
        }
    }

    private sealed class FirstAnswerOptions : ResilienceStrategyOptions
    {
        public FirstAnswerOptions() => Name = "FirstAnswer";
    }
}

/// <summary>Reads <c>Retry-After</c> in either of its forms.</summary>
internal static class RetryAfter
{
    /// <summary>How long the answer asks to wait (delta-seconds, or an HTTP date from now), or <see langword="null"/>.</summary>
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta >= TimeSpan.Zero ? delta : null;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}

using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.RateLimiting;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Conduit.Http;
using Conduit.Json;
using Conduit.Policies;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.RateLimiting;
using Polly.Retry;

namespace Conduit.CallBenchmarks;

/// <summary>
/// The parts of one call, measured alone, to find where Conduit's extra time and allocations go: building
/// the request message, JSON writing and reading, reading the answer's body, and the Polly pipeline.
/// </summary>
/// <remarks>
/// <c>OperationPipeline</c> is internal to Conduit, so the pipeline benchmarks build the same Polly pipeline
/// the way <c>OperationPipeline.Build</c> does (retry of the rule's statuses outside, one rate limiter per
/// rule inside, telemetry configured with a null logger factory) and run it the way
/// <c>ApiConnection.SendWithPoliciesAsync</c> does (a pooled <see cref="ResilienceContext"/>, a state tuple).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class PartsBenchmarks
{
    private static readonly Uri Server = new("http://127.0.0.1:5000/");
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpResponseMessage _ok = new(HttpStatusCode.OK);
    private ResiliencePipeline<HttpResponseMessage> _full = null!;
    private ResiliencePipeline<HttpResponseMessage> _fullNoTelemetry = null!;
    private ResiliencePipeline<HttpResponseMessage> _retryOnly = null!;
    private ResiliencePipeline<HttpResponseMessage> _limiterOnly = null!;
    private SlidingLogRateLimiter _limiter = null!;

    [GlobalSetup]
    public void Setup()
    {
        // A million permits per millisecond: a loop of calls never reaches the limit, so only the limiter's
        // cost is measured (with a one-second window, a loop of 1 us calls would be held to the limit's rate).
        _limiter = new SlidingLogRateLimiter(new RateLimitSettings(1_000_000, TimeSpan.FromMilliseconds(1), 1_000_000, TimeSpan.Zero, 1000));
        var retry = ItemsClient.Operations.GetItem.Policy.Retry!;
        _full = Build(retry, _limiter, telemetry: true);
        _fullNoTelemetry = Build(retry, _limiter, telemetry: false);
        _retryOnly = Build(retry, null, telemetry: true);
        _limiterOnly = Build(null, _limiter, telemetry: true);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _limiter.Dispose();
        _ok.Dispose();
    }

    // --- Building the request message (no body) ---

    [Benchmark(Baseline = true), BenchmarkCategory("Message")]
    public HttpRequestMessage Message_HandWritten()
    {
        var message = new HttpRequestMessage(HttpMethod.Get, new Uri(Server, string.Create(CultureInfo.InvariantCulture, $"items/{42L}")));
        message.Dispose();
        return message;
    }

    [Benchmark, BenchmarkCategory("Message")]
    public HttpRequestMessage Message_Conduit()
    {
        // What ItemsClient.GetItemAsync does before sending, then ApiConnection's CreateMessage.
        var request = new ApiRequest(ItemsClient.Operations.GetItem);
        request.Path("id", ParameterFormatter.Format(42L));
        var message = request.CreateMessage(Server);
        message.Dispose();
        return message;
    }

    [Benchmark, BenchmarkCategory("Message")]
    public ApiRequest Message_Conduit_ApiRequestOnly()
    {
        var request = new ApiRequest(ItemsClient.Operations.GetItem);
        request.Path("id", ParameterFormatter.Format(42L));
        return request;
    }

    // --- Building the request message with a JSON body, serialized ---

    [Benchmark(Baseline = true), BenchmarkCategory("Body")]
    public async Task<long> Body_HandWritten()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Server, "items")) { Content = JsonContent.Create(ClientSet.Body, ItemJsonContext.Default.Item) };
        await message.Content.LoadIntoBufferAsync().ConfigureAwait(false);
        return message.Content.Headers.ContentLength ?? 0;
    }

    [Benchmark, BenchmarkCategory("Body")]
    public async Task<long> Body_Conduit()
    {
        var request = new ApiRequest(ItemsClient.Operations.CreateItem);
        request.JsonBody(ClientSet.RulesBody, RulesModels.Item.JsonConverter.Instance, "application/json");
        using var message = request.CreateMessage(Server);
        await message.Content!.LoadIntoBufferAsync().ConfigureAwait(false);
        return message.Content.Headers.ContentLength ?? 0;
    }

    // --- JSON alone ---

    [Benchmark(Baseline = true), BenchmarkCategory("Write")]
    public byte[] Write_Stj() => JsonSerializer.SerializeToUtf8Bytes(ClientSet.Body, ItemJsonContext.Default.Item);

    [Benchmark, BenchmarkCategory("Write")]
    public byte[] Write_Conduit() => JsonValue.Serialize(ClientSet.RulesBody, RulesModels.Item.JsonConverter.Instance);

    /// <summary>
    /// What <c>JsonValue.Serialize</c> would cost with a reused buffer (a suggested change, not Conduit's code):
    /// the same generated converter and writer options, one buffer and writer per thread, and only the
    /// written bytes copied out.
    /// </summary>
    [Benchmark, BenchmarkCategory("Write")]
    public byte[] Write_Conduit_PooledWriter() => ReusedWriter.Serialize(ClientSet.RulesBody, RulesModels.Item.JsonConverter.Instance);

    [Benchmark(Baseline = true), BenchmarkCategory("Read")]
    public Item? Read_Stj() => JsonSerializer.Deserialize(ItemServer.ItemJson, ItemJsonContext.Default.Item);

    [Benchmark, BenchmarkCategory("Read")]
    public RulesModels.Item? Read_Conduit() => JsonValue.Deserialize(ItemServer.ItemJson, RulesModels.Item.JsonConverter.Instance);

    // --- Reading an answer's body: a stream into the deserializer, or buffered, copied out, then parsed ---

    [Benchmark(Baseline = true), BenchmarkCategory("Answer")]
    public async Task<Item?> Answer_HandWritten_Stream()
    {
        using var content = Answer();
        return await content.ReadFromJsonAsync(ItemJsonContext.Default.Item).ConfigureAwait(false);
    }

    [Benchmark, BenchmarkCategory("Answer")]
    public async Task<RulesModels.Item?> Answer_Conduit_Buffered()
    {
        // HttpClient buffers the content (HttpCompletionOption.ResponseContentRead); ApiConnection then copies it out.
        using var content = Answer();
        await content.LoadIntoBufferAsync().ConfigureAwait(false);
        var body = await content.ReadAsByteArrayAsync().ConfigureAwait(false);
        return JsonValue.Deserialize(body, RulesModels.Item.JsonConverter.Instance);
    }

    // --- The Polly pipeline around an attempt that answers at once ---

    [Benchmark(Baseline = true), BenchmarkCategory("Pipeline")]
    public Task<HttpResponseMessage> Pipeline_None() => Attempt(_ok, CancellationToken.None);

    [Benchmark, BenchmarkCategory("Pipeline")]
    public Task<HttpResponseMessage> Pipeline_RetryAndLimiter() => ExecuteAsync(_full);

    [Benchmark, BenchmarkCategory("Pipeline")]
    public Task<HttpResponseMessage> Pipeline_RetryAndLimiter_NoTelemetry() => ExecuteAsync(_fullNoTelemetry);

    [Benchmark, BenchmarkCategory("Pipeline")]
    public Task<HttpResponseMessage> Pipeline_RetryOnly() => ExecuteAsync(_retryOnly);

    [Benchmark, BenchmarkCategory("Pipeline")]
    public Task<HttpResponseMessage> Pipeline_LimiterOnly() => ExecuteAsync(_limiterOnly);

    [Benchmark, BenchmarkCategory("Pipeline")]
    public async Task<bool> Limiter_AcquireAlone()
    {
        using var lease = await _limiter.AcquireAsync(1).ConfigureAwait(false);
        return lease.IsAcquired;
    }

    private static ByteArrayContent Answer()
    {
        var content = new ByteArrayContent(ItemServer.ItemJson);
        content.Headers.ContentType = Json;
        return content;
    }

    private static async Task<HttpResponseMessage> Attempt(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        // An async method, as ApiConnection.SendAttemptAsync is, that completes synchronously here.
        await Task.CompletedTask.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return response;
    }

    private async Task<HttpResponseMessage> ExecuteAsync(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        var context = ResilienceContextPool.Shared.Get("getItem", CancellationToken.None);
        try
        {
            return await pipeline.ExecuteAsync(
                static (context, state) => new ValueTask<HttpResponseMessage>(Attempt(state, context.CancellationToken)),
                context,
                _ok).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static ResiliencePipeline<HttpResponseMessage> Build(RetryRule? retry, RateLimiter? limiter, bool telemetry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = "ItemsClient", InstanceName = "getItem" };
        if (retry is not null)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is { } response && retry.Allows((int)response.StatusCode)),
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,
                UseJitter = retry.Jitter,
                DelayGenerator = args => new ValueTask<TimeSpan?>((TimeSpan?)null),
            });
        }

        if (limiter is not null)
        {
            builder.AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "RateLimiter items GET",
                RateLimiter = args => limiter.AcquireAsync(1, args.Context.CancellationToken),
            });
        }

        if (telemetry)
        {
            builder.ConfigureTelemetry(NullLoggerFactory.Instance);
        }

        return builder.Build();
    }
}

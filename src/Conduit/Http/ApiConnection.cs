using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Jobs;
using Conduit.Json;
using Conduit.Policies;
using Polly;
using Polly.RateLimiting;

namespace Conduit.Http;

/// <summary>
/// Sends the requests of one generated client over its <see cref="System.Net.Http.HttpClient"/> and turns
/// answers into typed results or <see cref="ApiException"/>s. Shared code: generated methods only
/// describe their call and hand it here.
/// </summary>
public sealed class ApiConnection
{
    private readonly Uri? _defaultServer;
    private readonly string _clientName;
    private ServerRoot? _lastRoot;

    /// <summary>Creates the connection.</summary>
    /// <param name="httpClient">The client to send with. When its <see cref="HttpClient.BaseAddress"/> is set, every operation goes there.</param>
    /// <param name="defaultServer">The document's first server, used when the client has no base address and the operation names no server of its own.</param>
    /// <param name="options">How the operations' rules apply; <see cref="ConduitClientOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="clientName">The generated client's name, for telemetry.</param>
    public ApiConnection(HttpClient httpClient, string? defaultServer, ConduitClientOptions? options = null, string? clientName = null)
    {
        HttpClient = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        _defaultServer = string.IsNullOrEmpty(defaultServer) ? null : new Uri(defaultServer!, UriKind.Absolute);
        Options = options ?? ConduitClientOptions.Default;
        _clientName = clientName ?? "Conduit";
    }

    /// <summary>The client requests are sent with.</summary>
    public HttpClient HttpClient { get; }

    /// <summary>How the operations' rules apply.</summary>
    public ConduitClientOptions Options { get; }

    /// <summary>The server a request goes to: the client's base address, else the operation's server, else the document's.</summary>
    /// <param name="operation">The operation.</param>
    public Uri ServerFor(OperationInfo operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return HttpClient.BaseAddress ?? operation.Server ?? _defaultServer
            ?? throw new InvalidOperationException($"{operation.OperationId}: the document names no server; set HttpClient.BaseAddress.");
    }

    /// <summary>Sends the request and reads the JSON answer as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The documented success type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="converter">Reads the answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApiException">The service answered with an error, with no body, or with a body of another shape.</exception>
    public Task<T> SendAsync<T>(ApiRequest request, JsonConverter<T> converter, CancellationToken cancellationToken)
        => ReadJsonAsync(request, converter, bodyRequired: true, cancellationToken)!;

    /// <summary>
    /// Sends the request and reads the JSON answer as <typeparamref name="T"/>, or <see langword="default"/>
    /// when the answer has no body (operations that document a success without content, such as 204).
    /// </summary>
    /// <typeparam name="T">The documented success type.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="converter">Reads the answer.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApiException">The service answered with an error, or with a body of another shape.</exception>
    public Task<T?> SendOrDefaultAsync<T>(ApiRequest request, JsonConverter<T> converter, CancellationToken cancellationToken)
        => ReadJsonAsync(request, converter, bodyRequired: false, cancellationToken);

    /// <summary>Reads the answer; an answer without body is <see langword="default"/>, or an error when one was required.</summary>
    private async Task<T?> ReadJsonAsync<T>(ApiRequest request, JsonConverter<T> converter, bool bodyRequired, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return bodyRequired
                ? throw new ApiException(
                    request.Operation.OperationId,
                    response.StatusCode,
                    string.Empty,
                    ApiException.CollectHeaders(response),
                    "The answer has no body, but the document promises one. The document may be out of date.")
                : default;
        }

        try
        {
            return JsonValue.Deserialize(body, converter);
        }
        catch (JsonException e)
        {
            throw new ApiException(
                request.Operation.OperationId,
                response.StatusCode,
                Encoding.UTF8.GetString(body),
                ApiException.CollectHeaders(response),
                $"The answer does not have the shape the document describes ({e.Message}). The document may be out of date.",
                e);
        }
    }

    /// <summary>Sends a request that starts a job, and returns the job's handle.</summary>
    /// <typeparam name="TStatus">The job's status answer.</typeparam>
    /// <param name="request">The call.</param>
    /// <param name="job">Where the job id is in the answer, and how to read the job's status.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApiException">The service answered with an error, or the answer names no job.</exception>
    public Task<ApiJob<TStatus>> StartJobAsync<TStatus>(ApiRequest request, JobDefinition<TStatus> job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return SendAndReadAsync(request, (body, response) =>
        {
            var statusUrl = job.StatusUrlPointer is null ? null : JobStatusReader.Pointer(body, job.StatusUrlPointer);
            var jobId = (job.JobIdPointer is null ? null : JobStatusReader.Pointer(body, job.JobIdPointer))
                ?? JobIdFromUrl(statusUrl, job.StatusOperation.Path, job.StatusParameter)
                ?? throw new JsonException($"the answer names no job (looked for {job.JobIdPointer ?? job.StatusUrlPointer})");
            var url = Uri.TryCreate(statusUrl, UriKind.Absolute, out var parsed) ? parsed : null;
            return new ApiJob<TStatus>(this, job, request.Operation.OperationId, jobId, url, ApiException.FindRequestId(ApiException.CollectHeaders(response)));
        }, cancellationToken);
    }

    /// <summary>Sends the request and reads the successful answer's body with <paramref name="read"/>.</summary>
    internal async Task<T> SendAndReadAsync<T>(ApiRequest request, Func<byte[], HttpResponseMessage, T> read, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return read(body, response);
        }
        catch (JsonException e)
        {
            throw new ApiException(
                request.Operation.OperationId,
                response.StatusCode,
                Encoding.UTF8.GetString(body),
                ApiException.CollectHeaders(response),
                $"The answer does not have the shape the document describes ({e.Message}). The document may be out of date.",
                e);
        }
    }

    /// <summary>The job id in a status URL, matched against the status operation's path template.</summary>
    internal static string? JobIdFromUrl(string? statusUrl, string template, string parameter)
    {
        var marker = "{" + parameter + "}";
        var at = template.IndexOf(marker, StringComparison.Ordinal);
        if (statusUrl is null || at < 0)
        {
            return null;
        }

        var path = Uri.TryCreate(statusUrl, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : statusUrl.Split('?')[0];
        var prefix = template.Substring(0, at);
        var suffix = template.Substring(at + marker.Length);
        var start = path.LastIndexOf(prefix, StringComparison.Ordinal);
        if (start < 0 || !path.EndsWith(suffix, StringComparison.Ordinal) || path.Length - suffix.Length <= start + prefix.Length)
        {
            return null;
        }

        var id = path.Substring(start + prefix.Length, path.Length - suffix.Length - start - prefix.Length);
        return id.Contains('/', StringComparison.Ordinal) ? null : Uri.UnescapeDataString(id);
    }

    /// <summary>Sends the request and ignores the answer's body.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SendAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request and reads the answer as text.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<string> SendForTextAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the request and returns the answer's body as a stream, which the caller disposes.</summary>
    /// <param name="request">The call.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<Stream> SendForStreamAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            return new ResponseStream(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async Task<HttpResponseMessage> SendCoreAsync(ApiRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var response = await SendWithPoliciesAsync(request, completion, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await CreateExceptionAsync(request.Operation, response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the request through its operation's pipeline: retried as the rules allow, each attempt
    /// waiting for a rate-limit permit. Returns the last answer, whatever its status.
    /// </summary>
    internal Task<HttpResponseMessage> SendWithPoliciesAsync(ApiRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var server = RootOf(ServerFor(request.Operation));
        var pipeline = Options.PipelineFor(request.Operation, _clientName);
        if (pipeline.IsEmpty)
        {
            return SendAttemptAsync(pipeline, request, server, completion, cancellationToken);
        }

        return pipeline.CanSendDirectly && pipeline.TryTakePermits(out var permits)
            ? SendDirectlyAsync(pipeline, permits, request, server, completion, cancellationToken)
            : SendThroughPipelineAsync(pipeline, request, server, completion, null, cancellationToken);
    }

    /// <summary>A call whose permits were free: sent at once; only an answer the rule retries goes on through the pipeline.</summary>
    private async Task<HttpResponseMessage> SendDirectlyAsync(OperationPipeline pipeline, OperationPipeline.Permits permits, ApiRequest request, string server, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        using (permits)
        {
            using var message = request.CreateMessage(server);
            response = await HttpClient.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
            pipeline.Observe(response);
        }

        return pipeline.Retries(response, request)
            ? await SendThroughPipelineAsync(pipeline, request, server, completion, response, cancellationToken).ConfigureAwait(false)
            : response;
    }

    private async Task<HttpResponseMessage> SendThroughPipelineAsync(OperationPipeline pipeline, ApiRequest request, string server, HttpCompletionOption completion, HttpResponseMessage? firstAnswer, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(request.Operation.OperationId, cancellationToken);
        context.Properties.Set(OperationPipeline.RequestKey, request);
        if (firstAnswer is not null)
        {
            context.Properties.Set(OperationPipeline.FirstAnswerKey, firstAnswer);
        }

        try
        {
            return await pipeline.Pipeline.ExecuteAsync(
                static (context, state) => new ValueTask<HttpResponseMessage>(state.Connection.SendAttemptAsync(state.Pipeline, state.Request, state.Server, state.Completion, context.CancellationToken)),
                context,
                (Connection: this, Pipeline: pipeline, Request: request, Server: server, Completion: completion)).ConfigureAwait(false);
        }
        catch (RateLimiterRejectedException e)
        {
            throw new RateLimitQueueFullException(request.Operation.OperationId, pipeline.DescribeLimits(), Options.RateLimitQueueLimit, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The server's URL without its trailing slash, kept for the server last asked about (the base address, usually).</summary>
    private string RootOf(Uri server)
    {
        var last = _lastRoot;
        if (last is not null && ReferenceEquals(last.Server, server))
        {
            return last.Root;
        }

        var root = server.AbsoluteUri;
        root = root.EndsWith('/') ? root[..^1] : root;
        _lastRoot = new ServerRoot(server, root);
        return root;
    }

    private async Task<HttpResponseMessage> SendAttemptAsync(OperationPipeline pipeline, ApiRequest request, string server, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var message = request.CreateMessage(server);
        var response = await HttpClient.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        pipeline.Observe(response);
        return response;
    }

    private static async Task<ApiException> CreateExceptionAsync(OperationInfo operation, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var text = Encoding.UTF8.GetString(body);
        var headers = ApiException.CollectHeaders(response);
        var status = (int)response.StatusCode;
        ErrorResponse? best = null;
        var bestScore = 0;
        foreach (var candidate in operation.Errors)
        {
            var score = candidate.Matches(status);
            if (score > bestScore)
            {
                (best, bestScore) = (candidate, score);
            }
        }

        return best?.CreateException(operation.OperationId, response.StatusCode, body, text, headers)
            ?? new ApiException(operation.OperationId, response.StatusCode, text, headers, DefaultHint(response.StatusCode));
    }

    private static string? DefaultHint(HttpStatusCode status) => (int)status switch
    {
        401 => "The credentials were missing or not accepted: check the access token and that it has not expired.",
        403 => "The credentials are valid but not allowed to do this: check the account's entitlements.",
        404 => "Nothing exists at that address: check the identifiers in the path.",
        429 => "Too many requests: wait for the time in the Retry-After header before sending again.",
        >= 500 => "The service failed to process the request; it may succeed if sent again later.",
        _ => null,
    };

    private sealed record ServerRoot(Uri Server, string Root);

    /// <summary>A response body stream that disposes its response with it.</summary>
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

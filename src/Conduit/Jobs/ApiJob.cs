using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Json;
using Conduit.Policies;

namespace Conduit.Jobs;

/// <summary>
/// A job the service accepted. Read its status once with <see cref="GetStatusAsync"/>, or wait for it to
/// finish with <see cref="WaitForCompletionAsync(IProgress{JobProgress{TStatus}}?, CancellationToken)"/>,
/// which polls the status operation within its rate limit and returns the final status or throws
/// <see cref="JobFailedException{TStatus}"/>.
/// </summary>
/// <typeparam name="TStatus">The status operation's answer.</typeparam>
public sealed class ApiJob<TStatus>
{
    private readonly ApiConnection _connection;
    private readonly JobDefinition<TStatus> _definition;

    internal ApiJob(ApiConnection connection, JobDefinition<TStatus> definition, string operationId, string jobId, Uri? statusUrl, string? requestId)
    {
        _connection = connection;
        _definition = definition;
        OperationId = operationId;
        JobId = jobId;
        StatusUrl = statusUrl;
        RequestId = requestId;
    }

    /// <summary>The job's id.</summary>
    public string JobId { get; }

    /// <summary>The status URL the service gave, if it gave one. Conduit polls through the status operation instead, so credentials only ever go to the document's servers.</summary>
    public Uri? StatusUrl { get; }

    /// <summary>The operation that started the job.</summary>
    public string OperationId { get; }

    /// <summary>The service's id for the request that started the job, when it gave one.</summary>
    public string? RequestId { get; }

    /// <summary>Reads the job's status once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ApiException">The status could not be read.</exception>
    public Task<JobProgress<TStatus>> GetStatusAsync(CancellationToken cancellationToken = default) => ReadAsync(1, TimeSpan.Zero, false, cancellationToken);

    /// <summary>Waits for the job to finish, polling its status (or woken by its events, when <see cref="ConduitClientOptions.JobEvents"/> is set).</summary>
    /// <param name="cancellationToken">Cancels the wait (the job goes on at the service).</param>
    /// <returns>The final status of a job that succeeded.</returns>
    /// <exception cref="JobFailedException{TStatus}">The job failed; the exception carries the service's errors.</exception>
    /// <exception cref="JobTimeoutException">The job was not finished within <see cref="JobPollingOptions.Timeout"/>.</exception>
    public Task<TStatus> WaitForCompletionAsync(CancellationToken cancellationToken = default) => WaitForCompletionAsync(null, cancellationToken);

    /// <summary>Waits for the job to finish, polling its status and reporting each reading.</summary>
    /// <remarks>
    /// Without an event source, polls wait <see cref="JobPollingOptions.FirstDelay"/>, growing to
    /// <see cref="JobPollingOptions.MaxDelay"/>. With <see cref="ConduitClientOptions.JobEvents"/> set, the
    /// status is read once at the start, then as soon as an event about the job arrives, and otherwise every
    /// <see cref="JobPollingOptions.EventFallbackDelay"/>: a job whose event never comes still completes. A read
    /// that fails (5xx or 429 after its retries) is tried again on the polling schedule, not the fallback's.
    /// </remarks>
    /// <param name="progress">Receives every reading of the status.</param>
    /// <param name="cancellationToken">Cancels the wait (the job goes on at the service).</param>
    /// <returns>The final status of a job that succeeded.</returns>
    /// <exception cref="JobFailedException{TStatus}">The job failed; the exception carries the service's errors.</exception>
    /// <exception cref="JobTimeoutException">The job was not finished within <see cref="JobPollingOptions.Timeout"/>.</exception>
    public async Task<TStatus> WaitForCompletionAsync(IProgress<JobProgress<TStatus>>? progress, CancellationToken cancellationToken = default)
    {
        var polling = _connection.Options.Jobs;
        var time = _connection.Options.TimeProvider;

        // Listen before the first read: an event that comes later is kept until the wait asks, and one
        // that came earlier is about a change the first read already sees.
        using var events = _connection.Options.JobEvents is { } source ? new JobEventSignal(source, JobId) : null;
        var started = time.GetTimestamp();
        var delay = polling.FirstDelay;
        var retryDelay = polling.FirstDelay;
        var polls = 0;
        var afterEvent = false;
        JobPhase? lastPhase = null;
        while (true)
        {
            Exception? failure = null;
            try
            {
                var reading = await ReadAsync(++polls, time.GetElapsedTime(started), afterEvent, cancellationToken).ConfigureAwait(false);
                lastPhase = reading.Phase;
                progress?.Report(reading);
                if (reading.Phase == JobPhase.Succeeded)
                {
                    return reading.Value;
                }

                if (reading.Phase == JobPhase.Failed)
                {
                    throw new JobFailedException<TStatus>(OperationId, RequestId, reading);
                }
            }
            catch (Exception e) when (IsTransient(e))
            {
                // A poll only reads: one that fails after its retries is tried again at the next poll.
                failure = e;
            }

            var left = polling.Timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new JobTimeoutException(OperationId, JobId, lastPhase, time.GetElapsedTime(started), failure);
            }

            if (events is null)
            {
                await Task.Delay(delay < left ? delay : left, time, cancellationToken).ConfigureAwait(false);
                delay = polling.Next(delay);
            }
            else
            {
                // After a failed read (the event it followed may be spent), the next comes on the polling
                // schedule; after a good one, at the next event or after the fallback delay.
                var wait = polling.EventFallbackDelay;
                if (failure is null)
                {
                    retryDelay = polling.FirstDelay;
                }
                else
                {
                    wait = retryDelay < wait ? retryDelay : wait;
                    retryDelay = polling.Next(retryDelay);
                }

                afterEvent = await events.WaitAsync(wait < left ? wait : left, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"{OperationId} job {JobId}";

    /// <summary>Failures that say nothing about the job: the service was briefly unavailable or busy.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        ApiException api => api.StatusCode is HttpStatusCode.TooManyRequests || (int?)api.StatusCode >= 500,
        RateLimitQueueFullException => true,
        HttpRequestException { StatusCode: null } => true,
        _ => false,
    };

    private async Task<JobProgress<TStatus>> ReadAsync(int poll, TimeSpan elapsed, bool afterEvent, CancellationToken cancellationToken)
    {
        var request = new ApiRequest(_definition.StatusOperation);
        request.Path(_definition.StatusParameter, JobId);
        return await _connection.SendAndReadAsync(request, (body, _) =>
        {
            var reading = JobStatusReader.Read(body, _definition.Shape);
            var value = JsonValue.Deserialize(body, _definition.StatusConverter)!;
            return new JobProgress<TStatus>(JobId, reading.Phase, reading.Status, reading.OutputsDone, reading.OutputsTotal, poll, elapsed, reading.Errors, value) { AfterEvent = afterEvent };
        }, cancellationToken).ConfigureAwait(false);
    }
}

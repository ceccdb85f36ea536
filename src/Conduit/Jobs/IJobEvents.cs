using System;

namespace Conduit.Jobs;

/// <summary>
/// Where a job's wait hears that something happened to the job: a webhook receiver, typically, that
/// the service calls when a job ends. Set it as <see cref="ConduitClientOptions.JobEvents"/>; then
/// <see cref="ApiJob{TStatus}.WaitForCompletionAsync(IProgress{JobProgress{TStatus}}?, System.Threading.CancellationToken)"/>
/// reads the status as soon as an event arrives, and polls only every
/// <see cref="JobPollingOptions.EventFallbackDelay"/> in case none does.
/// </summary>
/// <remarks>
/// An event only wakes the wait: the status is still read through the status operation, so a forged,
/// stale or duplicated event costs one status read and changes nothing. <see cref="InProcessJobEvents"/>
/// serves a receiver in the same process; an implementation over a message bus serves several.
/// </remarks>
public interface IJobEvents
{
    /// <summary>Calls <paramref name="onEvent"/> at every event about <paramref name="jobId"/> from now until the returned subscription is disposed.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="onEvent">What to call. It returns at once and does not throw; it may be called on any thread, also concurrently.</param>
    /// <returns>The subscription; dispose it to stop the calls.</returns>
    IDisposable Subscribe(string jobId, Action onEvent);
}

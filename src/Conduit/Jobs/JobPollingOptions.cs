using System;

namespace Conduit.Jobs;

/// <summary>
/// How <see cref="ApiJob{TStatus}.WaitForCompletionAsync(IProgress{JobProgress{TStatus}}?, System.Threading.CancellationToken)"/>
/// polls: the first wait, how waits grow, the longest wait, the wait when events wake the job, and when to give up. Every poll is an ordinary
/// call of the status operation, so it takes a permit from that operation's rate limiter and is retried
/// as its rules allow.
/// </summary>
public sealed class JobPollingOptions
{
    /// <summary>The wait before the first poll. Default 1 s.</summary>
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Each wait is the previous one times this factor, at least 1. Default 1.5.</summary>
    public double Growth { get; init; } = 1.5;

    /// <summary>The longest wait between polls. Default 10 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// With an event source (<see cref="ConduitClientOptions.JobEvents"/>), the wait between polls when no
    /// event arrives: the status is read at once after each event, and after this long without one, so a
    /// job whose event is lost still completes. Unused without an event source. Default 30 s.
    /// </summary>
    public TimeSpan EventFallbackDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for a job before throwing <see cref="JobTimeoutException"/>. Default 15 minutes.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The wait after <paramref name="previous"/>.</summary>
    internal TimeSpan Next(TimeSpan previous)
    {
        var next = TimeSpan.FromTicks((long)(previous.Ticks * Math.Max(1, Growth)));
        return next > MaxDelay ? MaxDelay : next;
    }
}

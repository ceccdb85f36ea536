using System;
using System.Collections.Generic;

namespace Conduit.Jobs;

/// <summary>One reading of a job's status.</summary>
/// <typeparam name="TStatus">The status operation's answer.</typeparam>
/// <param name="JobId">The job.</param>
/// <param name="Phase">Where the job is.</param>
/// <param name="Status">The service's own word for it (v2 <c>status</c>; for v1, the least advanced output's).</param>
/// <param name="OutputsDone">Outputs finished (succeeded or failed); for v2 jobs 1 once the job is final, else 0.</param>
/// <param name="OutputsTotal">Outputs the job has; 1 for v2 jobs.</param>
/// <param name="Poll">How many times the status has been read, this one included.</param>
/// <param name="Elapsed">Time since the wait began.</param>
/// <param name="Errors">The errors the service reported, for a failed job.</param>
/// <param name="Value">The status answer, typed.</param>
public sealed record JobProgress<TStatus>(
    string JobId,
    JobPhase Phase,
    string Status,
    int OutputsDone,
    int OutputsTotal,
    int Poll,
    TimeSpan Elapsed,
    IReadOnlyList<JobError> Errors,
    TStatus Value)
{
    /// <summary>
    /// Whether this reading was made because an event about the job arrived
    /// (<see cref="ConduitClientOptions.JobEvents"/>), rather than after a poll delay.
    /// </summary>
    public bool AfterEvent { get; init; }

    /// <summary>Whether the job is finished, successfully or not.</summary>
    public bool IsFinal => Phase is JobPhase.Succeeded or JobPhase.Failed;
}

/// <summary>An error the service reported for a job (or for one of its outputs).</summary>
/// <param name="Code">The service's code, such as <c>InputValidationError</c> or <c>400401</c>.</param>
/// <param name="Message">The service's message.</param>
/// <param name="Output">For v1 jobs, the index of the output that failed.</param>
public sealed record JobError(string? Code, string? Message, int? Output = null)
{
    /// <inheritdoc/>
    public override string ToString() => (Output is { } output ? $"output {output}: " : string.Empty) + (Code is null ? Message : $"{Code}: {Message}");
}

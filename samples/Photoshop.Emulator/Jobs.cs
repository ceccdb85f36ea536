using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Photoshop.Emulator;

/// <summary>Where a job writes one output.</summary>
/// <param name="Url">The destination URL.</param>
/// <param name="MediaType">The output's media type.</param>
/// <param name="Storage">The v1 storage kind (<c>external</c>, <c>azure</c>, <c>dropbox</c>).</param>
internal sealed record JobOutput(string Url, string MediaType, string Storage);

/// <summary>What a request asked a job to do, read from its body.</summary>
/// <param name="InputUrl">The single input's URL; <see langword="null"/> for operations without one (v1 documentCreate).</param>
/// <param name="Outputs">The outputs to write.</param>
/// <param name="Manifest">Whether the job reports a document manifest.</param>
internal sealed record JobSpec(string? InputUrl, IReadOnlyList<JobOutput> Outputs, bool Manifest = false)
{
    /// <summary>
    /// Whether the input link has expired. The emulator cannot tell a real link's expiry, so a URL that
    /// contains <c>expired</c> stands for one.
    /// </summary>
    public bool InputExpired => InputUrl?.Contains("expired", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>The states a job passes through. v2 reports <see cref="Uploading"/> as <c>running</c>.</summary>
internal enum JobPhase
{
    /// <summary>Queued.</summary>
    Pending,

    /// <summary>Being processed.</summary>
    Running,

    /// <summary>Writing outputs (v1 only).</summary>
    Uploading,

    /// <summary>Done, outputs written.</summary>
    Succeeded,

    /// <summary>Done, with error details.</summary>
    Failed,
}

/// <summary>Why a job failed: the v2 error detail and the v1 error type and code.</summary>
internal sealed record JobFailure(string Code, string Message, string V1Type, string V1Code)
{
    /// <summary>The input link expired before the job read it.</summary>
    public static JobFailure InputLinkExpired(string href) =>
        new("input_link_expired", ErrorBodies.ExpiredLinkMessage(href), "FileLinkInvalidError", "410");

    /// <summary>A failure chosen by <see cref="EmulatorOptions.JobFailureRate"/>.</summary>
    public static JobFailure Injected { get; } =
        new("runtime_error", "The job failed while processing the input (injected by JobFailureRate).", "UndefinedError", "500");
}

/// <summary>
/// One job. Its state is a function of its age, read through the options' clock, so no timer runs: the first
/// third of the duration pending, then running (the last sixth uploading), then its outcome.
/// </summary>
internal sealed class Job(string id, long number, JobSpec spec, DateTimeOffset created, TimeSpan duration, JobFailure? failure)
{
    /// <summary>The job id, <c>urn:ff:jobs:...</c>.</summary>
    public string Id { get; } = id;

    /// <summary>The creation number, from 1 when the emulator started.</summary>
    public long Number { get; } = number;

    /// <summary>What the job does.</summary>
    public JobSpec Spec { get; } = spec;

    /// <summary>When the job was created.</summary>
    public DateTimeOffset Created { get; } = created;

    /// <summary>Why the job fails when it ends, or <see langword="null"/> when it succeeds.</summary>
    public JobFailure? Failure { get; } = failure;

    /// <summary>The job's phase at <paramref name="now"/> and when that phase began.</summary>
    public (JobPhase Phase, DateTimeOffset Since) PhaseAt(DateTimeOffset now)
    {
        var age = now - Created;
        if (age >= duration)
        {
            return (Failure is null ? JobPhase.Succeeded : JobPhase.Failed, Created + duration);
        }

        if (age >= duration * 5 / 6)
        {
            return (JobPhase.Uploading, Created + (duration * 5 / 6));
        }

        return age >= duration / 3 ? (JobPhase.Running, Created + (duration / 3)) : (JobPhase.Pending, Created);
    }
}

/// <summary>Job counts for <see cref="EmulatorStats"/>.</summary>
internal readonly record struct JobCounts(int Created, int Succeeded, int Failed);

/// <summary>Creates jobs, decides their outcome, finds them by id.</summary>
internal sealed class JobStore(EmulatorOptions options, Faults faults)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private long _created;
    private long _countedFrom;

    /// <summary>Creates a job from what its request asked.</summary>
    public Job Create(JobSpec spec)
    {
        var number = Interlocked.Increment(ref _created);
        var failure = spec.InputExpired ? JobFailure.InputLinkExpired(spec.InputUrl!)
            : faults.JobFails(number) ? JobFailure.Injected
            : null;
        var job = new Job($"urn:ff:jobs:{Guid.NewGuid():D}", number, spec, options.TimeProvider.GetUtcNow(), options.JobDuration, failure);
        _jobs[job.Id] = job;
        return job;
    }

    /// <summary>The job with this id, or <see langword="null"/>.</summary>
    public Job? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Counts the jobs created since the last <see cref="ResetCounts"/>, by their state now.</summary>
    public JobCounts Count()
    {
        var now = options.TimeProvider.GetUtcNow();
        var from = Interlocked.Read(ref _countedFrom);
        var phases = _jobs.Values.Where(job => job.Number > from).Select(job => job.PhaseAt(now).Phase).ToList();
        return new JobCounts(phases.Count, phases.Count(p => p == JobPhase.Succeeded), phases.Count(p => p == JobPhase.Failed));
    }

    /// <summary>Counts only jobs created from now on; the jobs themselves stay readable.</summary>
    public void ResetCounts() => Interlocked.Exchange(ref _countedFrom, Interlocked.Read(ref _created));
}

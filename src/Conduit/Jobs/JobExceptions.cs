using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace Conduit.Jobs;

/// <summary>
/// A job the service accepted finished as failed. Carries the service's own errors, the operation that
/// started the job, and a hint about what to do, since the service's messages alone are often terse.
/// </summary>
public class JobFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that started the job.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="requestId">The service's id for the request that started the job, when it gave one.</param>
    /// <param name="errors">What the service reported.</param>
    public JobFailedException(string operationId, string jobId, string? requestId, IReadOnlyList<JobError> errors)
        : base(Describe(operationId, jobId, requestId, errors))
    {
        OperationId = operationId;
        JobId = jobId;
        RequestId = requestId;
        Errors = errors;
        Hint = HintFor(errors);
    }

    /// <summary>The operation that started the job.</summary>
    public string OperationId { get; }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>The service's id for the request that started the job.</summary>
    public string? RequestId { get; }

    /// <summary>What the service reported, in its own words.</summary>
    public IReadOnlyList<JobError> Errors { get; }

    /// <summary>What to do about it.</summary>
    public string Hint { get; }

    /// <summary>A hint from the words services use for the common causes of failed jobs.</summary>
    internal static string HintFor(IReadOnlyList<JobError> errors)
    {
        var text = string.Join(" ", errors.Select(e => e.Code + " " + e.Message)).ToLowerInvariant();
        return text switch
        {
            _ when Has(text, "expired", "linkinvalid", "link invalid", "410") =>
                "An input link had expired by the time the service fetched it. Pre-sign input links for longer than queueing plus processing (an hour or more) and start the job again.",
            _ when Has(text, "trial", "quota", "limitexceeded", "402") =>
                "The account's quota or trial allowance is used up; check the entitlements of the credential in the developer console.",
            _ when Has(text, "unauthori", "token", "forbidden", "401", "403") =>
                "The service did not accept the credentials for this job; fetch a fresh access token and check the API key belongs to it.",
            _ when Has(text, "storage", "access", "download", "upload", "404", "not found") =>
                "The service could not read an input or write an output: inputs need URLs it can GET, outputs pre-signed URLs that accept one whole-object PUT.",
            _ when Has(text, "validation", "invalid", "400", "422") =>
                "The service rejected the job's inputs or options; compare them with the operation's documented request.",
            _ => "The service reported the job as failed; the errors are its own words. Sending the same job again may succeed if the failure was on its side.",
        };
    }

    private static bool Has(string text, params string[] words) => words.Any(text.Contains);

    private static string Describe(string operationId, string jobId, string? requestId, IReadOnlyList<JobError> errors)
    {
        var text = new StringBuilder();
        text.Append("The job ").Append(jobId).Append(" started by ").Append(operationId).Append(" failed");
        text.Append(errors.Count == 0 ? " without saying why." : ": " + string.Join("; ", errors) + ".");
        text.Append(' ').Append(HintFor(errors));
        if (requestId is not null)
        {
            text.Append(" Request id: ").Append(requestId).Append('.');
        }

        return text.ToString();
    }
}

/// <summary>A failed job, with its last status answer typed.</summary>
/// <typeparam name="TStatus">The status operation's answer.</typeparam>
public sealed class JobFailedException<TStatus> : JobFailedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that started the job.</param>
    /// <param name="requestId">The service's id for the request that started the job.</param>
    /// <param name="progress">The final reading of the job.</param>
    public JobFailedException(string operationId, string? requestId, JobProgress<TStatus> progress)
        : base(operationId, (progress ?? throw new ArgumentNullException(nameof(progress))).JobId, requestId, progress.Errors)
        => Status = progress.Value;

    /// <summary>The job's last status answer.</summary>
    public TStatus Status { get; }
}

/// <summary>A job was not finished when the wait's deadline came. The job may still finish: wait again or read its status later.</summary>
public sealed class JobTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that started the job.</param>
    /// <param name="jobId">The job.</param>
    /// <param name="lastPhase">Where the job was at the last successful poll, if any.</param>
    /// <param name="waited">How long the wait lasted.</param>
    /// <param name="innerException">The last poll's failure, if the last poll failed.</param>
    public JobTimeoutException(string operationId, string jobId, JobPhase? lastPhase, TimeSpan waited, Exception? innerException = null)
        : base(
            $"The job {jobId} started by {operationId} was not finished after {waited.TotalSeconds:0.#} s"
            + (lastPhase is { } state ? $" (last seen {state.ToString().ToLowerInvariant()})" : " (its status could not be read)")
            + ". It may still finish: wait again, or raise ConduitClientOptions.Jobs.Timeout.",
            innerException)
    {
        OperationId = operationId;
        JobId = jobId;
        LastPhase = lastPhase;
        Waited = waited;
    }

    /// <summary>The operation that started the job.</summary>
    public string OperationId { get; }

    /// <summary>The job.</summary>
    public string JobId { get; }

    /// <summary>Where the job was at the last successful poll.</summary>
    public JobPhase? LastPhase { get; }

    /// <summary>How long the wait lasted.</summary>
    public TimeSpan Waited { get; }
}

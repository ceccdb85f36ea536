using System;
using System.Text.Json.Serialization;
using Conduit.Http;

namespace Conduit.Jobs;

/// <summary>How to tell from a status body whether a job is done (the document's <c>x-job</c> <c>shape</c>).</summary>
public enum JobShape
{
    /// <summary>The body has a string <c>status</c>: <c>succeeded</c> and <c>failed</c> are final.</summary>
    V2,

    /// <summary>The body has <c>outputs</c>, each with a <c>status</c>: done when every output is <c>succeeded</c> or <c>failed</c>.</summary>
    V1,
}

/// <summary>Where a job is, as read from its status.</summary>
public enum JobPhase
{
    /// <summary>Accepted, not started.</summary>
    Pending,

    /// <summary>In progress (any status the service reports that is not final).</summary>
    Running,

    /// <summary>Finished, with every output produced.</summary>
    Succeeded,

    /// <summary>Finished, wholly or partly failed.</summary>
    Failed,
}

/// <summary>
/// What a generated client knows about an operation that starts a job (the document's <c>x-job</c>):
/// where the job id is in the accepted answer, and which operation reads the job's status.
/// </summary>
/// <typeparam name="TStatus">The status operation's answer.</typeparam>
public sealed class JobDefinition<TStatus>
{
    /// <summary>Creates the definition.</summary>
    /// <param name="statusOperation">The GET operation that reads a job's status.</param>
    /// <param name="statusParameter">The status operation's path parameter that takes the job id.</param>
    /// <param name="shape">How to read the status.</param>
    /// <param name="jobIdPointer">A JSON Pointer to the job id in the accepted answer, if it has one.</param>
    /// <param name="statusUrlPointer">A JSON Pointer to the status URL in the accepted answer, if it has one.</param>
    /// <param name="statusConverter">Reads the status.</param>
    public JobDefinition(OperationInfo statusOperation, string statusParameter, JobShape shape, string? jobIdPointer, string? statusUrlPointer, JsonConverter<TStatus> statusConverter)
    {
        StatusOperation = statusOperation ?? throw new ArgumentNullException(nameof(statusOperation));
        StatusParameter = statusParameter ?? throw new ArgumentNullException(nameof(statusParameter));
        Shape = shape;
        JobIdPointer = jobIdPointer;
        StatusUrlPointer = statusUrlPointer;
        StatusConverter = statusConverter ?? throw new ArgumentNullException(nameof(statusConverter));
        if (jobIdPointer is null && statusUrlPointer is null)
        {
            throw new ArgumentException("A job needs a pointer to its id or to its status URL.", nameof(jobIdPointer));
        }
    }

    /// <summary>The GET operation that reads a job's status.</summary>
    public OperationInfo StatusOperation { get; }

    /// <summary>The status operation's path parameter that takes the job id.</summary>
    public string StatusParameter { get; }

    /// <summary>How to read the status.</summary>
    public JobShape Shape { get; }

    /// <summary>A JSON Pointer to the job id in the accepted answer.</summary>
    public string? JobIdPointer { get; }

    /// <summary>A JSON Pointer to the status URL in the accepted answer.</summary>
    public string? StatusUrlPointer { get; }

    /// <summary>Reads the status.</summary>
    public JsonConverter<TStatus> StatusConverter { get; }
}

using System;

namespace Conduit.Policies;

/// <summary>
/// A call was not sent because too many calls were already waiting for the client-side rate limiter.
/// Nothing reached the service; the call can be made again later.
/// </summary>
public sealed class RateLimitQueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that was not sent.</param>
    /// <param name="limits">The limits the operation is under.</param>
    /// <param name="queueLimit">How many calls may wait.</param>
    /// <param name="innerException">Polly's rejection.</param>
    public RateLimitQueueFullException(string operationId, string limits, int queueLimit, Exception? innerException = null)
        : base(
            $"{operationId} was not sent: {queueLimit} calls are already waiting for its rate limit ({limits}). "
            + "Start fewer calls at once, or raise ConduitClientOptions.RateLimitQueueLimit if waiting longer is acceptable.",
            innerException)
    {
        OperationId = operationId;
        QueueLimit = queueLimit;
    }

    /// <summary>The operation that was not sent.</summary>
    public string OperationId { get; }

    /// <summary>How many calls may wait for a permit.</summary>
    public int QueueLimit { get; }
}

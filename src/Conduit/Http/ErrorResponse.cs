using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Json;

namespace Conduit.Http;

/// <summary>
/// One documented error answer of an operation: the statuses it covers, a hint for people, and (in
/// <see cref="ErrorResponse{TError}"/>) how to read its body.
/// </summary>
public class ErrorResponse
{
    /// <summary>Creates an error answer without a body schema.</summary>
    /// <param name="status">The status (such as 404), a class written as 4 or 5 for 4XX or 5XX, or 0 for <c>default</c>.</param>
    /// <param name="hint">What a caller should do, from the document's description.</param>
    public ErrorResponse(int status, string? hint)
    {
        Status = status;
        Hint = hint;
    }

    /// <summary>The status, a status class (1-5), or 0 for any other status.</summary>
    public int Status { get; }

    /// <summary>What a caller should do, from the document's description.</summary>
    public string? Hint { get; }

    /// <summary>How specifically this answer matches <paramref name="status"/>: 3 exact, 2 class, 1 default, 0 not at all.</summary>
    /// <param name="status">The status the service answered.</param>
    public int Matches(int status) => Status == status ? 3 : Status > 0 && Status < 10 && status / 100 == Status ? 2 : Status == 0 ? 1 : 0;

    /// <summary>Creates the exception for this answer.</summary>
    /// <param name="operationId">The operation that failed.</param>
    /// <param name="statusCode">The status the service answered.</param>
    /// <param name="body">The body as bytes.</param>
    /// <param name="text">The body as text.</param>
    /// <param name="headers">The answer's headers.</param>
    public virtual ApiException CreateException(string operationId, HttpStatusCode statusCode, ReadOnlyMemory<byte> body, string text, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
        => new(operationId, statusCode, text, headers, Hint);
}

/// <summary>A documented error answer whose body is read as <typeparamref name="TError"/>.</summary>
/// <typeparam name="TError">The model of the error body.</typeparam>
public sealed class ErrorResponse<TError> : ErrorResponse
{
    private readonly JsonConverter<TError> _converter;

    /// <summary>Creates an error answer with a body schema.</summary>
    /// <param name="status">The status, a status class (1-5), or 0 for <c>default</c>.</param>
    /// <param name="hint">What a caller should do, from the document's description.</param>
    /// <param name="converter">Reads the body.</param>
    public ErrorResponse(int status, string? hint, JsonConverter<TError> converter)
        : base(status, hint) => _converter = converter;

    /// <inheritdoc/>
    public override ApiException CreateException(string operationId, HttpStatusCode statusCode, ReadOnlyMemory<byte> body, string text, IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        if (body.Length == 0)
        {
            return base.CreateException(operationId, statusCode, body, text, headers);
        }

        try
        {
            var error = JsonValue.Deserialize(body.Span, _converter);
            return error is null
                ? base.CreateException(operationId, statusCode, body, text, headers)
                : new ApiException<TError>(operationId, statusCode, text, headers, Hint, error);
        }
        catch (JsonException e)
        {
            // The service answered something other than its documented error shape: keep the text.
            return new ApiException(operationId, statusCode, text, headers, Hint, e);
        }
    }
}

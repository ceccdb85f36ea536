using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;

namespace Conduit;

/// <summary>
/// An operation answered with a status its document does not list as success. Carries what a person
/// needs to act: the operation, the status, the service's request id, the raw body, and a hint taken
/// from the document's description of that answer.
/// </summary>
public class ApiException : HttpRequestException
{
    private static readonly string[] RequestIdHeaders = { "x-request-id", "x-correlation-id", "request-id" };

    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that failed.</param>
    /// <param name="statusCode">The status the service answered.</param>
    /// <param name="responseBody">The answer's body as text (empty when it had none).</param>
    /// <param name="headers">The answer's headers, content headers included.</param>
    /// <param name="hint">What to do about it, from the document.</param>
    /// <param name="innerException">The cause, when the body could not be read as documented.</param>
    public ApiException(
        string operationId,
        HttpStatusCode statusCode,
        string responseBody,
        IReadOnlyDictionary<string, IReadOnlyList<string>> headers,
        string? hint,
        Exception? innerException = null)
        : base(Describe(operationId, statusCode, responseBody, headers, hint), innerException, statusCode)
    {
        OperationId = operationId;
        ResponseBody = responseBody;
        Headers = headers;
        Hint = hint;
    }

    /// <summary>The operation that failed.</summary>
    public string OperationId { get; }

    /// <summary>The answer's body as text (empty when it had none).</summary>
    public string ResponseBody { get; }

    /// <summary>The answer's headers, content headers included, by name (case-insensitive).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Headers { get; }

    /// <summary>What to do about it, from the document's description of this answer.</summary>
    public string? Hint { get; }

    /// <summary>The service's id for the request, from the common request-id headers, when present.</summary>
    public string? RequestId => FindRequestId(Headers);

    /// <summary>The first value of an answer header, or <see langword="null"/>.</summary>
    /// <param name="name">The header name (case-insensitive).</param>
    public string? Header(string name) => Headers.TryGetValue(name, out var values) && values.Count > 0 ? values[0] : null;

    private static string Describe(
        string operationId,
        HttpStatusCode statusCode,
        string body,
        IReadOnlyDictionary<string, IReadOnlyList<string>> headers,
        string? hint)
    {
        var text = new StringBuilder();
        text.Append(operationId).Append(" failed with ").Append((int)statusCode).Append(' ').Append(statusCode).Append('.');
        if (!string.IsNullOrWhiteSpace(hint))
        {
            text.Append(' ').Append(hint!.Trim());
        }

        if (FindRequestId(headers) is { } requestId)
        {
            text.Append(" Request id: ").Append(requestId).Append('.');
        }

        if (body.Length > 0)
        {
            const int Shown = 500;
            text.Append(" Response: ").Append(body.Length <= Shown ? body : string.Concat(body.AsSpan(0, Shown), "..."));
        }

        return text.ToString();
    }

    /// <summary>The first value of the first common request-id header the answer carries.</summary>
    internal static string? FindRequestId(IReadOnlyDictionary<string, IReadOnlyList<string>> headers)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (headers.TryGetValue(name, out var values) && values.Count > 0)
            {
                return values[0];
            }
        }

        return null;
    }

    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> CollectHeaders(HttpResponseMessage response)
    {
        var all = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            all[header.Key] = header.Value.ToArray();
        }

        foreach (var header in response.Content.Headers)
        {
            all[header.Key] = header.Value.ToArray();
        }

        return all;
    }
}

/// <summary>An <see cref="ApiException"/> whose body was read as the document's error schema.</summary>
/// <typeparam name="TError">The model of the documented error body.</typeparam>
public sealed class ApiException<TError> : ApiException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operationId">The operation that failed.</param>
    /// <param name="statusCode">The status the service answered.</param>
    /// <param name="responseBody">The answer's body as text.</param>
    /// <param name="headers">The answer's headers.</param>
    /// <param name="hint">What to do about it, from the document.</param>
    /// <param name="error">The parsed error body.</param>
    public ApiException(
        string operationId,
        HttpStatusCode statusCode,
        string responseBody,
        IReadOnlyDictionary<string, IReadOnlyList<string>> headers,
        string? hint,
        TError error)
        : base(operationId, statusCode, responseBody, headers, hint) => Error = error;

    /// <summary>The service's error body, parsed.</summary>
    public TError Error { get; }
}

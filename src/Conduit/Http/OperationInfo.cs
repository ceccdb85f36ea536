using System;
using System.Collections.Generic;
using System.Net.Http;
using Conduit.Policies;

namespace Conduit.Http;

/// <summary>
/// What a generated client knows about one operation of its document: identity, route, the server it
/// lives on, the service's rules for it, and how to read its error answers. Generated clients keep one
/// static instance per operation; policies and analyzers read the same data.
/// </summary>
public sealed class OperationInfo
{
    /// <summary>Creates the description of an operation.</summary>
    /// <param name="operationId">The document's operation id (or the one Conduit derived).</param>
    /// <param name="method">The HTTP method, upper case.</param>
    /// <param name="path">The path template, such as <c>/v2/status/{jobId}</c>.</param>
    /// <param name="server">The server this operation lives on when it differs from the document's first server.</param>
    /// <param name="policy">The service's rules for this operation.</param>
    /// <param name="errors">How to read the operation's documented error answers.</param>
    public OperationInfo(
        string operationId,
        string method,
        string path,
        string? server = null,
        OperationPolicy? policy = null,
        IReadOnlyList<ErrorResponse>? errors = null)
    {
        OperationId = operationId ?? throw new ArgumentNullException(nameof(operationId));
        Method = method ?? throw new ArgumentNullException(nameof(method));
        HttpMethod = method switch
        {
            "GET" => HttpMethod.Get,
            "POST" => HttpMethod.Post,
            "PUT" => HttpMethod.Put,
            "DELETE" => HttpMethod.Delete,
            "PATCH" => HttpMethod.Patch,
            "HEAD" => HttpMethod.Head,
            "OPTIONS" => HttpMethod.Options,
            "TRACE" => HttpMethod.Trace,
            _ => new HttpMethod(method),
        };
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Server = server is null ? null : new Uri(server, UriKind.Absolute);
        Policy = policy ?? OperationPolicy.None;
        Errors = errors ?? Array.Empty<ErrorResponse>();
    }

    /// <summary>The operation id.</summary>
    public string OperationId { get; }

    /// <summary>The HTTP method, upper case.</summary>
    public string Method { get; }

    /// <summary>The HTTP method, as the shared <see cref="System.Net.Http.HttpMethod"/> instance.</summary>
    internal HttpMethod HttpMethod { get; }

    /// <summary>The path template.</summary>
    public string Path { get; }

    /// <summary>The server this operation lives on, when it is not the document's first server.</summary>
    public Uri? Server { get; }

    /// <summary>The service's rules for this operation.</summary>
    public OperationPolicy Policy { get; }

    /// <summary>The documented error answers.</summary>
    public IReadOnlyList<ErrorResponse> Errors { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path} ({OperationId})";
}

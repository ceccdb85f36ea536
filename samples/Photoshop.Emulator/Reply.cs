using System.Collections.Generic;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Photoshop.Emulator;

/// <summary>
/// The answer to one request, decided before anything is written, so that it can be recorded (and held
/// back for a slow response) first.
/// </summary>
/// <param name="Status">The status code.</param>
/// <param name="Body">The JSON body, or <see langword="null"/> for none.</param>
internal sealed record Reply(int Status, JsonNode? Body)
{
    /// <summary>Writes messages as they read (<c>&lt;</c>, <c>'</c> unescaped); the bodies never reach a browser.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Response headers besides <c>x-request-id</c> and <c>Content-Type</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The job the request started or read, if any.</summary>
    public string? JobId { get; init; }

    /// <summary>Whether the request arrived beyond its group's hard rate limit.</summary>
    public bool OverHardLimit { get; init; }

    /// <summary>Whether this is an injected fault.</summary>
    public bool FaultInjected { get; init; }

    /// <summary>Writes the reply, with its request id, to the response.</summary>
    public async Task WriteAsync(HttpResponse response, string requestId)
    {
        response.StatusCode = Status;
        response.Headers["x-request-id"] = requestId;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            response.ContentLength = 0;
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(Body.ToJsonString(Json));
        response.ContentType = "application/json";
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, response.HttpContext.RequestAborted);
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Photoshop.Emulator;

/// <summary>
/// Every error the emulator answers, in each surface's format: v1 <c>PsdServiceError</c>
/// <c>{type, code, title, details}</c> (code: the status as a string), v2 <c>ApiError</c>
/// <c>{error_code, message, errors}</c>.
/// </summary>
internal static class ErrorBodies
{
    /// <summary>401: no bearer token.</summary>
    public static Reply MissingToken(ApiFamily family) =>
        Error(family, 401, "MissingAuthTokenError", "unauthorized", "No bearer token: send Authorization: Bearer <access token>.", accessError: "missing_token");

    /// <summary>403: a token or client id the emulator does not know.</summary>
    public static Reply Forbidden(ApiFamily family, string reason, string message) =>
        Error(family, 403, "InvalidAuthTokenError", "access_error", message, accessError: reason);

    /// <summary>404: no operation has this method and path.</summary>
    public static Reply NoRoute(ApiFamily family, string method, string path) =>
        Error(family, 404, "ResourceNotFound", "not_found", $"No operation {method} {path}.");

    /// <summary>404: no job has this id.</summary>
    public static Reply NoJob(ApiFamily family, string jobId) =>
        Error(family, 404, "ResourceNotFound", "not_found", $"No job has the id '{jobId}'.");

    /// <summary>429: the group's hard limit was reached within the window.</summary>
    public static Reply RateLimited(ApiFamily family, string group, string method, TimeSpan retryAfter)
    {
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        var message = $"Too many {method} requests in the '{group}' group: wait {seconds} s (Retry-After) before the next.";
        return Error(family, 429, "RateLimitedError", "rate_limited", message) with
        {
            OverHardLimit = true,
            Headers =
            [
                new("Retry-After", seconds.ToString(CultureInfo.InvariantCulture)),
                new("X-Access-Rate-Limit-Level", $"{group}:{method}"),
            ],
        };
    }

    /// <summary>415: the body is not JSON (multipart bodies included).</summary>
    public static Reply UnsupportedMediaType(ApiFamily family, string message) =>
        Error(family, 415, "InvalidContentTypeError", "invalid_content_type", message);

    /// <summary>400: the body is not well-formed, or has more than one input.</summary>
    public static Reply BadRequest(ApiFamily family, string message, string? member = null) =>
        Error(family, 400, "InputValidationError", "bad_request", message, member);

    /// <summary>Validation failure naming the member: v2 422, v1 400 <c>InputValidationError</c>.</summary>
    public static Reply Invalid(ApiFamily family, string member, string message) =>
        family == ApiFamily.V1
            ? BadRequest(family, message, member)
            : Error(family, 422, "InputValidationError", "validation_error", message, member);

    /// <summary>410: the input link expired (v1 answers this on the POST).</summary>
    public static Reply InputLinkExpired(ApiFamily family, string href) =>
        Error(family, 410, "FileLinkInvalidError", "input_link_expired", ExpiredLinkMessage(href), "inputs");

    /// <summary>The message of an expired input link, for the 410 answer and for a failed v2 job alike.</summary>
    public static string ExpiredLinkMessage(string href) =>
        $"The input link expired before the service could read it: {href}. Send a pre-signed URL that outlives queueing and processing.";

    /// <summary>
    /// An injected fault: 500 and 503 with the surface's error body, 502 and 504 with an empty body as a
    /// gateway sends them.
    /// </summary>
    public static Reply Fault(ApiFamily family, int status)
    {
        var reply = status switch
        {
            500 => Error(family, 500, "UndefinedError", "runtime_error", "The service failed while handling the request (injected fault)."),
            503 => Error(family, 503, "ServiceUnavailableError", "service_unavailable", "The service is unavailable (injected fault)."),
            _ => new Reply(status, null),
        };
        return reply with { FaultInjected = true };
    }

    private static Reply Error(ApiFamily family, int status, string v1Type, string v2Code, string message, string? member = null, string? accessError = null)
    {
        JsonObject body;
        if (family == ApiFamily.V1)
        {
            body = new JsonObject
            {
                ["type"] = v1Type,
                ["code"] = status.ToString(CultureInfo.InvariantCulture),
                ["title"] = message,
            };
            if (member is not null)
            {
                body["details"] = new JsonArray(new JsonObject { ["name"] = member, ["reason"] = message });
            }
        }
        else
        {
            body = new JsonObject { ["error_code"] = v2Code, ["message"] = message };
            if (member is not null)
            {
                body["errors"] = new JsonArray(new JsonObject { ["member"] = member, ["message"] = message });
            }
        }

        return new Reply(status, body) { Headers = accessError is null ? [] : [new("X-Access-Error", accessError)] };
    }
}

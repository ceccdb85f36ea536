using System;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Photoshop.Emulator;

/// <summary>
/// Adobe IMS's OAuth server-to-server token endpoint (<c>POST /ims/token/v3</c>, client credentials in a
/// form body), so sign-in can be exercised without an account. In reality it lives on another host; its
/// requests are not recorded with the API's.
/// </summary>
internal sealed class ImsTokens(EmulatorOptions options)
{
    public const string Path = "/ims/token/v3";

    private int _issued;
    private int _requests;

    /// <summary>Token requests received, granted or not.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Tokens issued.</summary>
    public int Issued => Volatile.Read(ref _issued);

    public async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType || request.Query.Count > 0)
        {
            // IMS wants the credentials in the form body, never in the query string.
            await WriteAsync(context, 400, "invalid_request", "credentials must be sent as an application/x-www-form-urlencoded POST body");
            return;
        }

        var form = await request.ReadFormAsync(context.RequestAborted);
        if (form["grant_type"] != "client_credentials")
        {
            await WriteAsync(context, 400, "unsupported_grant_type", "grant_type must be client_credentials");
            return;
        }

        if (form["client_id"] != options.ApiKey || form["client_secret"] != options.ClientSecret)
        {
            await WriteAsync(context, 401, "invalid_client", "invalid client_id or client_secret parameter");
            return;
        }

        Interlocked.Increment(ref _issued);
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("access_token", options.AccessToken);
        writer.WriteString("token_type", "bearer");
        writer.WriteNumber("expires_in", (long)options.TokenLifetime.TotalSeconds);
        writer.WriteEndObject();
    }

    private static async Task WriteAsync(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("error", error);
        writer.WriteString("error_description", description);
        writer.WriteEndObject();
    }
}

using System;
using Microsoft.AspNetCore.Http;

namespace Photoshop.Emulator;

/// <summary>How the <c>Authorization</c> header of a request looked: recorded instead of the token itself.</summary>
internal enum TokenState
{
    /// <summary>No <c>Authorization: Bearer</c> header.</summary>
    Absent,

    /// <summary>A bearer token other than the emulator's.</summary>
    Invalid,

    /// <summary>The emulator's bearer token.</summary>
    Valid,
}

/// <summary>
/// The credential check of Adobe's gateway: every request needs <c>Authorization: Bearer &lt;token&gt;</c> (401
/// without it) and the token and <c>x-api-key</c> of the one credential the emulator knows (403 otherwise).
/// </summary>
internal sealed class Auth(EmulatorOptions options)
{
    private const string Bearer = "Bearer ";

    /// <summary>Reads the state of the request's bearer token.</summary>
    public TokenState ReadToken(IHeaderDictionary headers)
    {
        var authorization = headers.Authorization.ToString();
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) || authorization.Length == Bearer.Length)
        {
            return TokenState.Absent;
        }

        return string.Equals(authorization[Bearer.Length..].Trim(), options.AccessToken, StringComparison.Ordinal)
            ? TokenState.Valid
            : TokenState.Invalid;
    }

    /// <summary>The refusal for a request's credentials, or <see langword="null"/> when they are the emulator's.</summary>
    public Reply? Check(ApiFamily family, IHeaderDictionary headers)
    {
        var token = ReadToken(headers);
        if (token == TokenState.Absent)
        {
            return ErrorBodies.MissingToken(family);
        }

        if (token == TokenState.Invalid)
        {
            return ErrorBodies.Forbidden(family, "invalid_token", "The bearer token is not valid: fetch a new access token.");
        }

        var apiKey = headers["x-api-key"].ToString();
        if (apiKey.Length == 0)
        {
            return ErrorBodies.Forbidden(family, "missing_api_key", "No x-api-key: send the client id the token was issued for.");
        }

        return string.Equals(apiKey, options.ApiKey, StringComparison.Ordinal)
            ? null
            : ErrorBodies.Forbidden(family, "invalid_api_key", "The x-api-key is not the client id the token was issued for.");
    }
}

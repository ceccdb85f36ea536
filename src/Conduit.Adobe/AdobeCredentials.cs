using System;
using System.Collections.Generic;

namespace Conduit.Adobe;

/// <summary>
/// An Adobe Developer Console OAuth server-to-server credential: the client id (also sent as
/// <c>x-api-key</c>) and its secret. The secret is only ever sent in the body of a token request: it
/// appears in no log, exception message or <see cref="ToString"/>.
/// </summary>
public sealed class AdobeCredentials
{
    /// <summary>Adobe IMS's token endpoint.</summary>
    public static readonly Uri DefaultTokenEndpoint = new("https://ims-na1.adobelogin.com/ims/token/v3");

    /// <summary>Creates the credential.</summary>
    /// <param name="clientId">The client id.</param>
    /// <param name="clientSecret">The client secret.</param>
    public AdobeCredentials(string clientId, string clientSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ArgumentException.ThrowIfNullOrEmpty(clientSecret);
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    /// <summary>The client id, sent as <c>x-api-key</c> with every call.</summary>
    public string ClientId { get; }

    /// <summary>The scopes to ask for. Default: <c>openid</c>, <c>AdobeID</c>, <c>read_organizations</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "AdobeID", "read_organizations"];

    /// <summary>The IMS organisation, sent as <c>x-gw-ims-org-id</c> when set: jobs emit I/O Events only with it.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>Where tokens come from. Default <see cref="DefaultTokenEndpoint"/>.</summary>
    public Uri TokenEndpoint { get; init; } = DefaultTokenEndpoint;

    /// <summary>The client secret.</summary>
    internal string ClientSecret { get; }

    /// <summary>
    /// The credential in <c>ADOBE_CLIENT_ID</c> and <c>ADOBE_CLIENT_SECRET</c> (and <c>ADOBE_ORG_ID</c>,
    /// <c>ADOBE_SCOPES</c> as a comma-separated list, when set), or <see langword="null"/> when either of the
    /// first two is missing.
    /// </summary>
    public static AdobeCredentials? FromEnvironment()
    {
        var id = Environment.GetEnvironmentVariable("ADOBE_CLIENT_ID");
        var secret = Environment.GetEnvironmentVariable("ADOBE_CLIENT_SECRET");
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var scopes = Environment.GetEnvironmentVariable("ADOBE_SCOPES");
        var defaults = new AdobeCredentials(id, secret);
        return new AdobeCredentials(id, secret)
        {
            OrganizationId = Environment.GetEnvironmentVariable("ADOBE_ORG_ID") is { Length: > 0 } org ? org : null,
            Scopes = string.IsNullOrWhiteSpace(scopes) ? defaults.Scopes : scopes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"Adobe client {ClientId} (secret hidden)";
}

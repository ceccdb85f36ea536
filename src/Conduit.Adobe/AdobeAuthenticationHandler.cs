using System;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.Adobe;

/// <summary>
/// Signs every request of a generated client in to Adobe: <c>Authorization: Bearer</c> with a token from
/// <see cref="ImsTokenProvider"/>, <c>x-api-key</c> with the client id and, when the credential names one,
/// <c>x-gw-ims-org-id</c>. Headers the request already carries are left as they are.
/// </summary>
public sealed class AdobeAuthenticationHandler : DelegatingHandler
{
    private readonly ImsTokenProvider _tokens;

    /// <summary>Creates the handler.</summary>
    /// <param name="tokens">Where tokens come from.</param>
    public AdobeAuthenticationHandler(ImsTokenProvider tokens) => _tokens = tokens ?? throw new ArgumentNullException(nameof(tokens));

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var credentials = _tokens.Credentials;
        request.Headers.Authorization ??= new AuthenticationHeaderValue("Bearer", await _tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false));
        if (!request.Headers.Contains("x-api-key"))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", credentials.ClientId);
        }

        if (credentials.OrganizationId is { } organization && !request.Headers.Contains("x-gw-ims-org-id"))
        {
            request.Headers.TryAddWithoutValidation("x-gw-ims-org-id", organization);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Conduit.Adobe;

/// <summary>
/// Access tokens from Adobe IMS for one credential (OAuth server-to-server, client credentials in the form
/// body of <c>POST /ims/token/v3</c>). A token is cached and replaced ahead of its expiry; however many
/// callers ask at once, one request is made. Tokens have no refresh token: a new one is fetched.
/// </summary>
public sealed partial class ImsTokenProvider : IDisposable
{
    private readonly AdobeCredentials _credentials;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _fetching = new(1, 1);
    private readonly object _refreshLock = new();
    private volatile Token? _token;
    private Task? _refreshing;

    /// <summary>Creates the provider.</summary>
    /// <param name="credentials">The credential.</param>
    /// <param name="httpClient">Sends the token requests; a new one when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock; the system's when <see langword="null"/>.</param>
    /// <param name="logger">Where to say when tokens are fetched (never the token or the secret).</param>
    public ImsTokenProvider(AdobeCredentials credentials, HttpClient? httpClient = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        _credentials = credentials ?? throw new ArgumentNullException(nameof(credentials));
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient();
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The credential tokens are fetched for.</summary>
    public AdobeCredentials Credentials => _credentials;

    /// <summary>
    /// How long before expiry a token is replaced: the larger of five minutes and a twenty-fourth of its
    /// life (one hour for Adobe's 24-hour tokens, as Adobe advises). Callers keep using the old token while
    /// the new one is fetched.
    /// </summary>
    public static TimeSpan RefreshAhead(TimeSpan lifetime) => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 24));

    /// <summary>A valid access token: the cached one, or a new one when it is missing or expired.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="AdobeSignInException">IMS refused the credential or could not be reached.</exception>
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken = default)
    {
        var token = _token;
        var now = _time.GetUtcNow();
        if (token is not null && now < token.Expires)
        {
            if (now >= token.RefreshAt)
            {
                StartRefresh(token);
            }

            return token.Value;
        }

        return (await FetchAsync(token, cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _fetching.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>One background refresh while the current token is still good.</summary>
    private void StartRefresh(Token stale)
    {
        lock (_refreshLock)
        {
            if (_refreshing is { IsCompleted: false } || !ReferenceEquals(_token, stale))
            {
                return;
            }

            _refreshing = Task.Run(async () =>
            {
                try
                {
                    await FetchAsync(stale, CancellationToken.None).ConfigureAwait(false);
                }
                catch (AdobeSignInException e)
                {
                    // The current token is still valid; the next caller after its expiry will try again and see the error.
                    LogRefreshFailed(_logger, _credentials.ClientId, e.Message);
                }
            });
        }
    }

    /// <summary>Fetches a token unless another caller replaced <paramref name="seen"/> while this one waited.</summary>
    private async Task<Token> FetchAsync(Token? seen, CancellationToken cancellationToken)
    {
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_token is { } current && !ReferenceEquals(current, seen) && _time.GetUtcNow() < current.Expires)
            {
                return current;
            }

            var token = await RequestAsync(cancellationToken).ConfigureAwait(false);
            _token = token;
            return token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    private async Task<Token> RequestAsync(CancellationToken cancellationToken)
    {
        var clientId = _credentials.ClientId;
        using var body = new FormUrlEncodedContent(
        [
            new KeyValuePair<string, string>("grant_type", "client_credentials"),
            new KeyValuePair<string, string>("client_id", clientId),
            new KeyValuePair<string, string>("client_secret", _credentials.ClientSecret),
            new KeyValuePair<string, string>("scope", string.Join(",", _credentials.Scopes)),
        ]);
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(_credentials.TokenEndpoint, body, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new AdobeSignInException(clientId, $"IMS at {_credentials.TokenEndpoint.Host} could not be reached ({e.Message}). Check the network and the token endpoint.", e);
        }

        using (response)
        {
            var json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var (token, expiresIn, error, description) = Parse(json);
            if (!response.IsSuccessStatusCode || token is null || expiresIn is not > 0)
            {
                throw new AdobeSignInException(clientId, Explain((int)response.StatusCode, error, description));
            }

            var issued = _time.GetUtcNow();
            var lifetime = TimeSpan.FromSeconds(expiresIn.Value);
            LogFetched(_logger, clientId, lifetime.TotalHours);
            return new Token(token, issued + lifetime, issued + lifetime - RefreshAhead(lifetime));
        }
    }

    private static string Explain(int status, string? error, string? description)
    {
        var said = error is null ? $"IMS answered {status}" : $"IMS answered {status} {error}" + (description is null ? string.Empty : $" ({description})");
        var hint = error switch
        {
            "invalid_client" => "Check the client id and secret (ADOBE_CLIENT_ID, ADOBE_CLIENT_SECRET) against the OAuth server-to-server credential in the Adobe Developer Console.",
            "invalid_scope" => "Ask only for scopes the credential's project grants (ADOBE_SCOPES).",
            _ => "Check the credential in the Adobe Developer Console.",
        };
        return said + ". " + hint;
    }

    /// <summary>The token answer's members, read without reflection.</summary>
    private static (string? Token, long? ExpiresIn, string? Error, string? Description) Parse(byte[] json)
    {
        string? token = null, error = null, description = null;
        long? expiresIn = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return default;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "access_token" when reader.TokenType == JsonTokenType.String: token = reader.GetString(); break;
                    case "expires_in" when reader.TokenType == JsonTokenType.Number: expiresIn = reader.GetInt64(); break;
                    case "error" when reader.TokenType == JsonTokenType.String: error = reader.GetString(); break;
                    case "error_description" when reader.TokenType == JsonTokenType.String: description = reader.GetString(); break;
                    default: reader.Skip(); break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: reported as a refusal without details.
        }

        return (token, expiresIn, error, description);
    }

    [LoggerMessage(1, LogLevel.Information, "Fetched an Adobe IMS access token for client {ClientId}, valid for {Hours:0.#} h")]
    private static partial void LogFetched(ILogger logger, string clientId, double hours);

    [LoggerMessage(2, LogLevel.Warning, "Refreshing the Adobe IMS access token for client {ClientId} failed; the current token is used until it expires: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string clientId, string reason);

    /// <summary>A token and when to replace it.</summary>
    private sealed record Token(string Value, DateTimeOffset Expires, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"token expiring {Expires:O}";
    }
}

/// <summary>Adobe IMS did not issue a token. The message says why and what to check; it never holds the secret.</summary>
public sealed class AdobeSignInException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="clientId">The credential's client id.</param>
    /// <param name="reason">What happened and what to check.</param>
    /// <param name="innerException">The cause.</param>
    public AdobeSignInException(string clientId, string reason, Exception? innerException = null)
        : base($"Signing in to Adobe as client {clientId} failed: {reason}", innerException) => ClientId = clientId;

    /// <summary>The credential's client id.</summary>
    public string ClientId { get; }
}

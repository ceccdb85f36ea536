using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace Conduit.Adobe.Events;

/// <summary>
/// Where the receiver gets the public keys that sign deliveries. A key is named by its path on Adobe's
/// events key host (the <c>x-adobe-public-key1-path</c> and <c>-key2-path</c> headers); the receiver has
/// already checked the path (see <see cref="AdobeEventKeySource.TryGetKeyUrl"/>) before it asks.
/// </summary>
public interface IAdobeEventKeySource
{
    /// <summary>The PEM public key at <paramref name="keyPath"/>, or <see langword="null"/> when there is no such key.</summary>
    /// <param name="keyPath">The key's path, such as <c>/prod/keys/pub-key-&lt;uuid&gt;.pem</c>.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <exception cref="HttpRequestException">The key could not be fetched now; the delivery is answered 503 so Adobe retries it.</exception>
    ValueTask<string?> GetPublicKeyAsync(string keyPath, CancellationToken cancellationToken);
}

/// <summary>
/// Adobe's keys, fetched over https from <c>static.adobeioevents.com</c> only, and cached for at most 24
/// hours as Adobe requires. A path that leads anywhere else is never fetched, and an answer that came from
/// anywhere else (a followed redirect) is not used; give it an <see cref="HttpClient"/> that does not follow redirects.
/// </summary>
public sealed class AdobeEventKeySource : IAdobeEventKeySource
{
    /// <summary>Adobe's events key host; keys come from nowhere else.</summary>
    public static readonly Uri KeyHost = new("https://static.adobeioevents.com/");

    private const int MaxKeyChars = 16 * 1024;
    private const int MaxCachedKeys = 64;
    private static readonly TimeSpan MaxCacheDuration = TimeSpan.FromHours(24);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, (string Pem, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);
    private readonly TimeSpan _cacheDuration;

    /// <summary>Creates the source.</summary>
    /// <param name="httpClient">Fetches the keys.</param>
    /// <param name="timeProvider">The clock of the cache; the system's when <see langword="null"/>.</param>
    /// <param name="cacheDuration">How long a key is kept, at most 24 hours (the default).</param>
    public AdobeEventKeySource(HttpClient httpClient, TimeProvider? timeProvider = null, TimeSpan? cacheDuration = null)
    {
        _http = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        _time = timeProvider ?? TimeProvider.System;
        _cacheDuration = cacheDuration ?? MaxCacheDuration;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_cacheDuration, TimeSpan.Zero, nameof(cacheDuration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(_cacheDuration, MaxCacheDuration, nameof(cacheDuration));
    }

    /// <summary>
    /// Where a key path from a delivery's headers leads, if it leads to Adobe's key host: a path such as
    /// <c>/prod/keys/pub-key-1.pem</c> (or that URL in full, https only). Anything else (another host, http,
    /// a protocol-relative <c>//host</c>, <c>..</c>, escapes) is refused without being fetched.
    /// </summary>
    /// <param name="keyPath">The header's value.</param>
    /// <param name="url">The key's URL on <see cref="KeyHost"/>.</param>
    /// <returns>Whether the path is acceptable.</returns>
    public static bool TryGetKeyUrl(string? keyPath, [NotNullWhen(true)] out Uri? url)
    {
        url = null;
        if (string.IsNullOrEmpty(keyPath) || keyPath.Length > 512)
        {
            return false;
        }

        var path = keyPath;
        if (path.StartsWith(KeyHost.AbsoluteUri, StringComparison.OrdinalIgnoreCase))
        {
            path = path[(KeyHost.AbsoluteUri.Length - 1)..];
        }

        if (path[0] != '/' || path.Contains("//", StringComparison.Ordinal) || path.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in path)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.'))
            {
                return false;
            }
        }

        var candidate = new Uri(KeyHost, path);
        if (candidate.Scheme != Uri.UriSchemeHttps || !candidate.IsDefaultPort || !string.Equals(candidate.Host, KeyHost.Host, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        url = candidate;
        return true;
    }

    /// <inheritdoc/>
    public async ValueTask<string?> GetPublicKeyAsync(string keyPath, CancellationToken cancellationToken)
    {
        if (!TryGetKeyUrl(keyPath, out var url))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        lock (_cache)
        {
            if (_cache.TryGetValue(url.AbsolutePath, out var cached) && now < cached.Expires)
            {
                return cached.Pem;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Gone)
        {
            return null;
        }

        // An HttpClient that follows redirects may have ended up elsewhere: only the key host's own answer counts.
        if (response.RequestMessage?.RequestUri is { } answered && !TryGetKeyUrl(answered.AbsoluteUri, out _))
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The events key host answered {(int)response.StatusCode} for {url.AbsolutePath}.", null, response.StatusCode);
        }

        if (response.Content.Headers.ContentLength > MaxKeyChars)
        {
            return null;
        }

        var pem = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (pem.Length > MaxKeyChars || !IsRsaPublicKey(pem))
        {
            return null;
        }

        lock (_cache)
        {
            if (_cache.Count >= MaxCachedKeys)
            {
                _cache.Clear();
            }

            _cache[url.AbsolutePath] = (pem, now + _cacheDuration);
        }

        return pem;
    }

    private static bool IsRsaPublicKey(string pem)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>
/// A fixed set of trusted keys, by path: for tests and emulators, which sign with keys of their own and
/// must never send a receiver to the internet. Never use it with keys a delivery could choose.
/// </summary>
public sealed class TrustedEventKeys : IAdobeEventKeySource
{
    private readonly Dictionary<string, string> _keys;

    /// <summary>Creates the set.</summary>
    /// <param name="pemByPath">PEM public keys by the path deliveries name them with.</param>
    public TrustedEventKeys(IEnumerable<KeyValuePair<string, string>> pemByPath)
    {
        ArgumentNullException.ThrowIfNull(pemByPath);
        _keys = new Dictionary<string, string>(pemByPath, StringComparer.Ordinal);
    }

    /// <inheritdoc/>
    public ValueTask<string?> GetPublicKeyAsync(string keyPath, CancellationToken cancellationToken)
        => ValueTask.FromResult(_keys.GetValueOrDefault(keyPath));
}

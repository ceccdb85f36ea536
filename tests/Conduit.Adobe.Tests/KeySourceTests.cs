using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Adobe.Events;
using Microsoft.Extensions.Time.Testing;

namespace Conduit.Adobe.Tests;

/// <summary>Adobe's keys come over https from static.adobeioevents.com only, and are kept 24 hours at most.</summary>
public sealed class KeySourceTests
{
    private static readonly string Pem = CreatePem();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly KeyHost _wire = new();

    [Theory]
    [InlineData("/prod/keys/pub-key-1.pem", "https://static.adobeioevents.com/prod/keys/pub-key-1.pem")]
    [InlineData("https://static.adobeioevents.com/prod/keys/pub-key-1.pem", "https://static.adobeioevents.com/prod/keys/pub-key-1.pem")]
    [InlineData("HTTPS://STATIC.ADOBEIOEVENTS.COM/prod/keys/pub-key-1.pem", "https://static.adobeioevents.com/prod/keys/pub-key-1.pem")]
    [InlineData("https://static.adobeioevents.com:8443/prod/keys/pub-key-1.pem", null)]
    [InlineData("/prod/keys/pub key.pem", null)]
    [InlineData("/prod\\keys/pub-key-1.pem", null)]
    [InlineData("", null)]
    public void Only_paths_on_Adobe_s_key_host_have_a_URL(string keyPath, string? expected)
        => Assert.Equal(expected, AdobeEventKeySource.TryGetKeyUrl(keyPath, out var url) ? url.AbsoluteUri : null);

    [Fact]
    public async Task A_key_is_fetched_once_over_https_and_kept_for_at_most_24_hours()
    {
        var keys = new AdobeEventKeySource(new HttpClient(_wire), _time);

        Assert.Equal(Pem, await keys.GetPublicKeyAsync("/prod/keys/pub-key-1.pem", default));
        _time.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal(Pem, await keys.GetPublicKeyAsync("/prod/keys/pub-key-1.pem", default));
        Assert.Equal(["https://static.adobeioevents.com/prod/keys/pub-key-1.pem"], _wire.Requests);

        _time.Advance(TimeSpan.FromHours(0.2));
        await keys.GetPublicKeyAsync("/prod/keys/pub-key-1.pem", default);
        Assert.Equal(2, _wire.Requests.Count);
    }

    [Fact]
    public async Task A_foreign_path_is_never_fetched_and_an_unknown_key_is_none()
    {
        var keys = new AdobeEventKeySource(new HttpClient(_wire), _time);

        Assert.Null(await keys.GetPublicKeyAsync("https://evil.example/key.pem", default));
        Assert.Empty(_wire.Requests);
        Assert.Null(await keys.GetPublicKeyAsync("/prod/keys/missing.pem", default));
        Assert.Null(await keys.GetPublicKeyAsync("/prod/keys/not-a-key.pem", default));
        Assert.Null(await keys.GetPublicKeyAsync("/prod/keys/redirected.pem", default));
        await Assert.ThrowsAsync<HttpRequestException>(async () => await keys.GetPublicKeyAsync("/prod/keys/down.pem", default));
    }

    [Fact]
    public void Keys_cannot_be_kept_longer_than_24_hours()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new AdobeEventKeySource(new HttpClient(_wire), _time, TimeSpan.FromHours(25)));

    [Fact]
    public async Task The_in_memory_store_remembers_ids_for_its_window_and_forgets_the_oldest_when_full()
    {
        var store = new InMemoryEventIdStore(TimeSpan.FromHours(24), capacity: 3, _time);

        Assert.True(await store.TryAddAsync("a", default));
        Assert.False(await store.TryAddAsync("a", default));
        _time.Advance(TimeSpan.FromHours(23.9));
        Assert.False(await store.TryAddAsync("a", default));
        _time.Advance(TimeSpan.FromHours(0.2));
        Assert.True(await store.TryAddAsync("a", default));

        Assert.True(await store.TryAddAsync("b", default));
        Assert.True(await store.TryAddAsync("c", default));
        Assert.True(await store.TryAddAsync("d", default));
        Assert.Equal(3, store.Count);
        Assert.True(await store.TryAddAsync("a", default));
        Assert.False(await store.TryAddAsync("d", default));

        await store.RemoveAsync("d", default);
        Assert.True(await store.TryAddAsync("d", default));
        Assert.Throws<ArgumentOutOfRangeException>(() => new InMemoryEventIdStore(TimeSpan.FromHours(23), 10));
    }

    private static string CreatePem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Stands in for static.adobeioevents.com: records what was asked, answers by path.</summary>
    private sealed class KeyHost : HttpMessageHandler
    {
        public List<string> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!.AbsoluteUri);
            return Task.FromResult(request.RequestUri.AbsolutePath switch
            {
                // As a handler that followed a redirect off the key host answers.
                "/prod/keys/redirected.pem" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Pem), RequestMessage = new HttpRequestMessage(HttpMethod.Get, "https://evil.example/key.pem") },
                "/prod/keys/pub-key-1.pem" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Pem) },
                "/prod/keys/not-a-key.pem" => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>hello</html>") },
                "/prod/keys/down.pem" => new HttpResponseMessage(HttpStatusCode.BadGateway),
                _ => new HttpResponseMessage(HttpStatusCode.NotFound),
            });
        }
    }
}

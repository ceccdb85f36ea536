using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Photoshop.Emulator;

namespace Conduit.Adobe.Tests;

public sealed class SignInTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));
    private readonly CapturingLogger _log = new();
    private PhotoshopEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await PhotoshopEmulator.StartAsync(new EmulatorOptions { TimeProvider = _time });

    public async Task DisposeAsync() => await _emulator.DisposeAsync();

    private AdobeCredentials Credentials(string secret = "emulator-secret")
        => new(_emulator.Options.ApiKey, secret) { TokenEndpoint = _emulator.TokenEndpoint, OrganizationId = "0123ABCD@AdobeOrg" };

    private ImsTokenProvider Provider(AdobeCredentials? credentials = null) => new(credentials ?? Credentials(), timeProvider: _time, logger: _log);

    [Fact]
    public async Task A_hundred_concurrent_callers_make_one_token_request()
    {
        using var tokens = Provider();

        var all = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => tokens.GetTokenAsync().AsTask())));

        Assert.All(all, token => Assert.Equal(_emulator.Options.AccessToken, token));
        Assert.Equal(1, _emulator.TokenRequests);
    }

    [Fact]
    public async Task A_token_is_replaced_an_hour_before_it_expires_while_callers_keep_the_old_one()
    {
        using var tokens = Provider();
        await tokens.GetTokenAsync();

        _time.Advance(TimeSpan.FromHours(22.9));
        await tokens.GetTokenAsync();
        Assert.Equal(1, _emulator.TokenRequests);

        _time.Advance(TimeSpan.FromHours(0.2));
        var during = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.GetTokenAsync().AsTask()));
        Assert.All(during, token => Assert.Equal(_emulator.Options.AccessToken, token));
        await Until(() => _emulator.TokenRequests == 2);

        _time.Advance(TimeSpan.FromHours(0.5));
        await tokens.GetTokenAsync();
        Assert.Equal(2, _emulator.TokenRequests);
    }

    [Fact]
    public async Task An_expired_token_is_fetched_again_once_for_everyone()
    {
        using var tokens = Provider();
        await tokens.GetTokenAsync();
        _time.Advance(TimeSpan.FromHours(25));

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => tokens.GetTokenAsync().AsTask())));

        Assert.Equal(2, _emulator.TokenRequests);
    }

    [Fact]
    public async Task A_refused_secret_gives_a_clear_error_that_never_shows_the_secret()
    {
        const string secret = "p8e-SuperSecret-Value";
        var credentials = Credentials(secret);
        using var tokens = Provider(credentials);

        var e = await Assert.ThrowsAsync<AdobeSignInException>(() => tokens.GetTokenAsync().AsTask());

        Assert.Contains("client emulator-client", e.Message);
        Assert.Contains("401 invalid_client", e.Message);
        Assert.Contains("ADOBE_CLIENT_SECRET", e.Message);
        Assert.DoesNotContain(secret, e.ToString());
        Assert.DoesNotContain(secret, credentials.ToString());
        Assert.DoesNotContain(secret, string.Join("\n", _log.Lines));
    }

    [Fact]
    public async Task Logs_say_when_a_token_was_fetched_but_never_show_it()
    {
        using var tokens = Provider();

        var token = await tokens.GetTokenAsync();

        var line = Assert.Single(_log.Lines);
        Assert.Contains("emulator-client", line);
        Assert.DoesNotContain(token, line);
        Assert.DoesNotContain("emulator-secret", line);
    }

    [Fact]
    public async Task The_handler_signs_every_call_with_token_client_id_and_organisation()
    {
        using var tokens = Provider();
        using var http = new HttpClient(new AdobeAuthenticationHandler(tokens) { InnerHandler = new HttpClientHandler() }) { BaseAddress = _emulator.BaseAddress };

        using var response = await http.GetAsync("v2/status/urn:ff:jobs:unknown");

        Assert.Equal(404, (int)response.StatusCode);
        var seen = Assert.Single(_emulator.Requests);
        Assert.Equal("valid", seen.Headers["authorization"]);
        Assert.Equal("emulator-client", seen.Headers["x-api-key"]);
        Assert.Equal("0123ABCD@AdobeOrg", seen.Headers["x-gw-ims-org-id"]);
    }

    [Fact]
    public void Credentials_come_from_the_environment_only_when_both_parts_are_there()
    {
        var saved = (Environment.GetEnvironmentVariable("ADOBE_CLIENT_ID"), Environment.GetEnvironmentVariable("ADOBE_CLIENT_SECRET"));
        try
        {
            Environment.SetEnvironmentVariable("ADOBE_CLIENT_ID", "abc");
            Environment.SetEnvironmentVariable("ADOBE_CLIENT_SECRET", null);
            Assert.Null(AdobeCredentials.FromEnvironment());

            Environment.SetEnvironmentVariable("ADOBE_CLIENT_SECRET", "s3cret");
            var credentials = AdobeCredentials.FromEnvironment();
            Assert.Equal("abc", credentials!.ClientId);
            Assert.Equal("Adobe client abc (secret hidden)", credentials.ToString());
        }
        finally
        {
            Environment.SetEnvironmentVariable("ADOBE_CLIENT_ID", saved.Item1);
            Environment.SetEnvironmentVariable("ADOBE_CLIENT_SECRET", saved.Item2);
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(5);
        }
    }

    /// <summary>Keeps every formatted log line.</summary>
    private sealed class CapturingLogger : ILogger
    {
        private readonly List<string> _lines = new();

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines)
                {
                    return _lines.ToArray();
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_lines)
            {
                _lines.Add(formatter(state, exception) + exception);
            }
        }
    }
}

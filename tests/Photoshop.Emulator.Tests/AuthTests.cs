using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>Credentials are checked on every request: 401 without a bearer token, 403 for one the emulator does not know.</summary>
public sealed class AuthTests
{
    [Theory]
    [InlineData("v2/edit", "error_code", "unauthorized")]
    [InlineData("v2/remove-background", "error_code", "unauthorized")]
    [InlineData("pie/psdService/text", "type", "MissingAuthTokenError")]
    public async Task No_bearer_token_is_401_in_the_route_s_format(string path, string member, string expected)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.PostAsync(path, Bodies.V2(), harness.Anonymous);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(expected, (await EmulatorHarness.ReadJsonAsync(response))[member]!.GetValue<string>());
        Assert.Equal("missing_token", EmulatorHarness.Header(response, "X-Access-Error"));
        Assert.Equal(0, harness.Emulator.Stats.JobsCreated);
    }

    [Theory]
    [InlineData("Basic", "ZW11bGF0b3I6dG9rZW4=", "emulator-client", HttpStatusCode.Unauthorized, "missing_token")]
    [InlineData("Bearer", "stolen-token", "emulator-client", HttpStatusCode.Forbidden, "invalid_token")]
    [InlineData("Bearer", "emulator-token", "someone-else", HttpStatusCode.Forbidden, "invalid_api_key")]
    [InlineData("Bearer", "emulator-token", null, HttpStatusCode.Forbidden, "missing_api_key")]
    public async Task Credentials_other_than_the_emulator_s_are_refused(string scheme, string token, string? apiKey, HttpStatusCode expected, string reason)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        foreach (var (path, member, code) in new[] { ("v2/status/urn:ff:jobs:x", "error_code", expected == HttpStatusCode.Forbidden ? "access_error" : "unauthorized"),
            ("pie/psdService/status/urn:ff:jobs:x", "type", expected == HttpStatusCode.Forbidden ? "InvalidAuthTokenError" : "MissingAuthTokenError") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue(scheme, token) } };
            if (apiKey is not null)
            {
                request.Headers.Add("x-api-key", apiKey);
            }

            using var response = await harness.Anonymous.SendAsync(request);

            Assert.Equal(expected, response.StatusCode);
            Assert.Equal(code, (await EmulatorHarness.ReadJsonAsync(response))[member]!.GetValue<string>());
            Assert.Equal(reason, EmulatorHarness.Header(response, "X-Access-Error"));
        }
    }

    [Fact]
    public async Task The_emulator_s_own_credentials_are_accepted_and_can_be_configured()
    {
        await using var harness = await EmulatorHarness.StartAsync(time => new() { TimeProvider = time, AccessToken = "t-1", ApiKey = "k-1" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v2/edit") { Content = new StringContent(Bodies.V2(), System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "t-1");
        request.Headers.Add("x-api-key", "k-1");
        using var response = await harness.Anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}

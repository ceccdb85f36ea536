using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;

namespace Photoshop.Emulator.Tests.Infrastructure;

/// <summary>
/// An emulator on a fake clock, with a client that sends the emulator's credentials and one that sends none;
/// both check every response against the document.
/// </summary>
public sealed class EmulatorHarness : IAsyncDisposable
{
    private EmulatorHarness(PhotoshopEmulator emulator, FakeTimeProvider time)
    {
        Emulator = emulator;
        Time = time;
        Client = CreateClient(emulator.BaseAddress);
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.Options.AccessToken);
        Client.DefaultRequestHeaders.Add("x-api-key", emulator.Options.ApiKey);
        Anonymous = CreateClient(emulator.BaseAddress);
    }

    /// <summary>The emulator.</summary>
    public PhotoshopEmulator Emulator { get; }

    /// <summary>The emulator's clock: jobs and rate windows move only when a test advances it.</summary>
    public FakeTimeProvider Time { get; }

    /// <summary>A client with the emulator's credentials.</summary>
    public HttpClient Client { get; }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous { get; }

    /// <summary>Starts an emulator with the options <paramref name="configure"/> makes for the fake clock (by default, only the clock).</summary>
    public static async Task<EmulatorHarness> StartAsync(Func<FakeTimeProvider, EmulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 12, 0, 0, TimeSpan.Zero));
        var options = configure?.Invoke(time) ?? new EmulatorOptions { TimeProvider = time };
        return new EmulatorHarness(await PhotoshopEmulator.StartAsync(options), time);
    }

    /// <summary>A client on the emulator's address whose responses are checked against the document.</summary>
    public static HttpClient CreateClient(Uri baseAddress) => new(new ConformanceHandler()) { BaseAddress = baseAddress };

    /// <summary>POSTs a JSON body.</summary>
    public Task<HttpResponseMessage> PostAsync(string path, string json, HttpClient? client = null) =>
        (client ?? Client).PostAsync(path.TrimStart('/'), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Starts a job and returns its status URL.</summary>
    public async Task<Uri> StartJobAsync(string path, string json)
    {
        using var response = await PostAsync(path, json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await ReadJsonAsync(response);
        return new Uri(body["statusUrl"]?.GetValue<string>() ?? body["_links"]!["self"]!["href"]!.GetValue<string>());
    }

    /// <summary>GETs a job's status: the status code and the body.</summary>
    public async Task<(HttpStatusCode Status, JsonNode Body)> ReadStatusAsync(Uri statusUrl)
    {
        using var response = await Client.GetAsync(statusUrl);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>The JSON body of a response.</summary>
    public static async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The single value of a response header.</summary>
    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Request bodies that each operation accepts, and their broken variants.</summary>
public static class Bodies
{
    public const string InputUrl = "https://bucket.s3.amazonaws.com/input.psd";
    public const string OutputUrl = "https://bucket.s3.amazonaws.com/output.png";

    /// <summary>A v2 body with one input and one PNG output, for <c>create-composite</c>, <c>edit</c>, <c>create-artboard</c>.</summary>
    public static string V2(string inputUrl = InputUrl) =>
        $$$"""{"image":{"source":{"url":"{{{inputUrl}}}"}},"outputs":[{"destination":{"url":"{{{OutputUrl}}}"},"mediaType":"image/png"}]}""";

    /// <summary>A body the v2 or Remove Background operation at <paramref name="path"/> accepts.</summary>
    public static string ForV2(string path) => path switch
    {
        "/v2/execute-actions" => $$$"""{"image":{"source":{"url":"{{{InputUrl}}}"}},"outputs":[{"destination":{"url":"{{{OutputUrl}}}"},"mediaType":"image/png"}],"options":{"actions":[{"source":{"url":"https://bucket.s3.amazonaws.com/actions.atn"}}]}}""",
        "/v2/generate-manifest" => $$$$"""{"image":{"source":{"url":"{{{{InputUrl}}}}"}}}""",
        "/v2/remove-background" => $$$"""{"image":{"source":{"url":"{{{InputUrl}}}"}},"mode":"cutout","output":{"mediaType":"image/webp"},"trim":true,"backgroundColor":{"red":255,"green":255,"blue":255,"alpha":1},"colorDecontamination":0.5}""",
        _ => V2(),
    };

    /// <summary>A v1 body with one input and one output.</summary>
    public static string V1(string inputUrl = InputUrl) =>
        $$$"""{"inputs":[{"href":"{{{inputUrl}}}","storage":"external"}],"outputs":[{"href":"{{{OutputUrl}}}","storage":"external","type":"image/png"}]}""";

    /// <summary>A body the v1 operation at <paramref name="path"/> accepts.</summary>
    public static string ForV1(string path) => path switch
    {
        "/pie/psdService/documentManifest" => $$$"""{"inputs":[{"href":"{{{InputUrl}}}","storage":"external"}]}""",
        "/pie/psdService/documentCreate" => $$$$"""{"outputs":[{"href":"{{{{OutputUrl}}}}","storage":"azure","type":"image/vnd.adobe.photoshop"}],"options":{"document":{"width":960,"height":586}}}""",
        _ => V1(),
    };
}

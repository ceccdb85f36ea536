using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>Bodies are JSON, hold one input and follow the document's request schemas; no job starts otherwise.</summary>
public sealed class RequestValidationTests
{
    [Theory]
    [InlineData("v2/create-composite", "error_code", "invalid_content_type")]
    [InlineData("pie/psdService/documentOperations", "type", "InvalidContentTypeError")]
    public async Task A_multipart_body_is_415(string path, string member, string expected)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var content = new MultipartFormDataContent { { new StringContent(Bodies.V2(), Encoding.UTF8, "application/json"), "request" }, { new ByteArrayContent([1, 2, 3]), "file", "input.psd" } };
        using var response = await harness.Client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var body = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Equal(expected, body[member]!.GetValue<string>());
        Assert.Contains("multipart/form-data", body.ToJsonString(), StringComparison.Ordinal);
        AssertNoJob(harness);
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_is_415_and_malformed_JSON_is_400()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using (var text = await harness.Client.PostAsync("v2/edit", new StringContent(Bodies.V2(), Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.StatusCode);
        }

        using (var malformed = await harness.PostAsync("v2/edit", "{\"image\":"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
            Assert.Contains("not valid JSON", (await EmulatorHarness.ReadJsonAsync(malformed))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var v1Malformed = await harness.PostAsync("pie/psdService/text", "[]");
        Assert.Equal(HttpStatusCode.BadRequest, v1Malformed.StatusCode);
        Assert.Equal("InputValidationError", (await EmulatorHarness.ReadJsonAsync(v1Malformed))["type"]!.GetValue<string>());
        AssertNoJob(harness);
    }

    [Fact]
    public async Task Two_v1_inputs_are_400_naming_the_limit()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var twoInputs = $$$"""{"inputs":[{"href":"{{{Bodies.InputUrl}}}","storage":"external"},{"href":"https://x.test/b.psd","storage":"external"}],"outputs":[{"href":"{{{Bodies.OutputUrl}}}","storage":"external","type":"image/png"}]}""";
        using var response = await harness.PostAsync("pie/psdService/smartObject", twoInputs);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Equal("InputValidationError", body["type"]!.GetValue<string>());
        Assert.Contains("at most 1 input", body["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("inputs", body["details"]![0]!["name"]!.GetValue<string>());
        AssertNoJob(harness);
    }

    [Theory]
    [InlineData("""{"image":[{"source":{"url":"https://x.test/a.psd"}},{"source":{"url":"https://x.test/b.psd"}}],"outputs":[]}""", "image")]
    [InlineData("""{"image":{"source":{"url":"https://x.test/a.psd"}},"images":[{"source":{"url":"https://x.test/b.psd"}}],"outputs":[]}""", "images")]
    public async Task A_second_v2_input_is_400(string body, string member)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.PostAsync("v2/create-composite", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Contains("exactly one input", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(member, error["errors"]![0]!["member"]!.GetValue<string>());
        AssertNoJob(harness);
    }

    [Theory]
    [InlineData("v2/edit", """{"outputs":[]}""", "image")]
    [InlineData("v2/edit", """{"image":{"source":{}},"outputs":[]}""", "image.source.url")]
    [InlineData("v2/edit", """{"image":{"source":{"url":"not a url"}},"outputs":[]}""", "image.source.url")]
    [InlineData("v2/edit", """{"image":{"source":{"url":"https://x.test/a.psd"}}}""", "outputs")]
    [InlineData("v2/edit", """{"image":{"source":{"url":"https://x.test/a.psd"}},"outputs":[]}""", "outputs")]
    [InlineData("v2/edit", """{"image":{"source":{"url":"https://x.test/a.psd"}},"outputs":[{"destination":{"url":"https://x.test/o"},"mediaType":"image/gif"}]}""", "outputs[0].mediaType")]
    [InlineData("v2/execute-actions", """{"image":{"source":{"url":"https://x.test/a.psd"}},"outputs":[{"destination":{"url":"https://x.test/o"},"mediaType":"image/png"}],"options":{"actions":[]}}""", "options.actions")]
    [InlineData("v2/remove-background", """{"image":{"source":{"url":"https://x.test/a.png"}},"mode":"blur"}""", "mode")]
    [InlineData("v2/remove-background", """{"image":{"source":{"url":"https://x.test/a.png"}},"backgroundColor":{"red":256,"green":0,"blue":0,"alpha":1}}""", "backgroundColor.red")]
    [InlineData("v2/remove-background", """{"image":{"source":{"url":"https://x.test/a.png"}},"colorDecontamination":2}""", "colorDecontamination")]
    public async Task A_v2_body_that_breaks_its_schema_is_422_naming_the_member(string path, string body, string member)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Equal("validation_error", error["error_code"]!.GetValue<string>());
        Assert.Equal(member, error["errors"]![0]!["member"]!.GetValue<string>());
        Assert.Contains($"`{member}`", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoJob(harness);
    }

    [Theory]
    [InlineData("pie/psdService/text", """{"outputs":[{"href":"https://x.test/o","storage":"external","type":"image/png"}]}""", "inputs")]
    [InlineData("pie/psdService/text", """{"inputs":[{"href":"https://x.test/a.psd","storage":"external"}]}""", "outputs")]
    [InlineData("pie/psdService/text", """{"inputs":[{"href":"https://x.test/a.psd","storage":"s3"}],"outputs":[{"href":"https://x.test/o","storage":"external","type":"image/png"}]}""", "inputs[0].storage")]
    [InlineData("pie/psdService/text", """{"inputs":[{"href":"https://x.test/a.psd","storage":"external"}],"outputs":[{"href":"https://x.test/o","storage":"external"}]}""", "outputs[0].type")]
    [InlineData("pie/psdService/documentCreate", """{"outputs":[{"href":"https://x.test/o","storage":"external","type":"image/png"}]}""", "options")]
    public async Task A_v1_body_that_breaks_its_schema_is_400_naming_the_member(string path, string body, string member)
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.PostAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Equal("InputValidationError", error["type"]!.GetValue<string>());
        Assert.Equal(member, error["details"]![0]!["name"]!.GetValue<string>());
        AssertNoJob(harness);
    }

    [Fact]
    public async Task Twenty_six_v2_outputs_are_one_too_many()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var outputs = string.Join(',', Enumerable.Repeat("""{"destination":{"url":"https://x.test/o"},"mediaType":"image/png"}""", 26));
        using var response = await harness.PostAsync("v2/edit", $$$"""{"image":{"source":{"url":"https://x.test/a.psd"}},"outputs":[{{{outputs}}}]}""");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("1 to 25", (await EmulatorHarness.ReadJsonAsync(response))["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_v1_input_link_is_410_and_starts_no_job()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        using var response = await harness.PostAsync("pie/psdService/renditionCreate", Bodies.V1("https://bucket.s3.amazonaws.com/in.psd?X-Amz-Expires=1&expired=1"));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        var error = await EmulatorHarness.ReadJsonAsync(response);
        Assert.Equal("FileLinkInvalidError", error["type"]!.GetValue<string>());
        Assert.Equal("410", error["code"]!.GetValue<string>());
        Assert.Contains("expired", error["title"]!.GetValue<string>(), StringComparison.Ordinal);
        AssertNoJob(harness);
    }

    private static void AssertNoJob(EmulatorHarness harness)
    {
        Assert.Equal(0, harness.Emulator.Stats.JobsCreated);
        Assert.All(harness.Emulator.Requests, r => Assert.Null(r.JobId));
    }
}

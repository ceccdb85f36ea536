using Photoshop.Emulator.Tests.Infrastructure;

namespace Photoshop.Emulator.Tests;

/// <summary>The document check every other test relies on does reject what breaks the document.</summary>
public sealed class ConformanceCheckTests
{
    [Fact]
    public void A_status_body_of_the_document_s_shape_passes()
    {
        OpenApiConformance.Check("GET", "/v2/status/urn:ff:jobs:1", 200, "id", """{"jobId":"urn:ff:jobs:1","status":"running"}""");
        OpenApiConformance.Check("GET", "/pie/psdService/status/urn:ff:jobs:1", 202, "id", """{"jobId":"j","outputs":[{"status":"uploading"}]}""");
        OpenApiConformance.Check("POST", "/v2/edit", 502, "id", "");
    }

    [Theory]
    [InlineData("GET", "/v2/status/urn:ff:jobs:1", 200, """{"jobId":"urn:ff:jobs:1"}""", "status")]
    [InlineData("GET", "/v2/status/urn:ff:jobs:1", 200, """{"jobId":"urn:ff:jobs:1","status":"done"}""", "enum")]
    [InlineData("GET", "/pie/psdService/status/urn:ff:jobs:1", 202, """{"jobId":"j","outputs":[{"status":"queued"}]}""", "enum")]
    [InlineData("POST", "/v2/edit", 401, """{"message":"no"}""", "error_code")]
    [InlineData("POST", "/pie/psdService/text", 400, """{"type":"InputValidationError","code":true,"title":"t"}""", "code")]
    [InlineData("POST", "/v2/edit", 418, "{}", "declares no such response")]
    [InlineData("POST", "/v2/edit", 202, "not json", "not JSON")]
    public void A_body_or_status_that_breaks_the_document_is_rejected(string method, string path, int status, string body, string expected)
    {
        var e = Assert.Throws<ConformanceException>(() => OpenApiConformance.Check(method, path, status, "id", body));
        Assert.Contains(expected, e.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_without_a_request_id_is_rejected()
    {
        var e = Assert.Throws<ConformanceException>(() => OpenApiConformance.Check("GET", "/v2/nothing", 404, null, "{}"));
        Assert.Contains("x-request-id", e.Message, System.StringComparison.Ordinal);
    }
}

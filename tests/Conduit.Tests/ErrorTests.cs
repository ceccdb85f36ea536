using System;
using System.Collections.Generic;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Json;
using static Conduit.Tests.Api;

namespace Conduit.Tests;

public sealed class ErrorTests : IClassFixture<LoopbackServer>
{
    private const string ProblemJson = """{"code":"not_found","message":"No item 7"}""";

    private readonly LoopbackServer _server;

    public ErrorTests(LoopbackServer server)
    {
        _server = server;
        server.Reset();
    }

    private static ErrorResponse<IReadOnlyDictionary<string, string>> Problem(int status, string hint)
        => new(status, hint, Converters.Map(Converters.String));

    private async Task<ApiException> FailAsync(params ErrorResponse[] errors)
        => await Assert.ThrowsAnyAsync<ApiException>(() => _server.Connection.SendAsync(new ApiRequest(Op("/items/7", errors: errors)), default));

    [Fact]
    public async Task Documented_error_carries_the_parsed_body_and_everything_needed_to_act()
    {
        _server.Reply(404, ProblemJson, "application/problem+json", ("x-request-id", "req-123"), ("X-Extra", "one"));

        var error = await FailAsync(Problem(404, "Check the item id."));

        var typed = Assert.IsType<ApiException<IReadOnlyDictionary<string, string>>>(error);
        Assert.Equal("not_found", typed.Error["code"]);
        Assert.Equal(HttpStatusCode.NotFound, typed.StatusCode);
        Assert.Equal("testOp", typed.OperationId);
        Assert.Equal("Check the item id.", typed.Hint);
        Assert.Equal("req-123", typed.RequestId);
        Assert.Equal("one", typed.Header("x-extra"));
        Assert.Equal("application/problem+json", typed.Header("Content-Type"));
        Assert.Equal(ProblemJson, typed.ResponseBody);
        Assert.Null(typed.InnerException);
    }

    [Theory]
    [InlineData(404, "exact")]
    [InlineData(400, "class")]
    [InlineData(499, "class")]
    [InlineData(500, "default")]
    [InlineData(302, "default")]
    public async Task Most_specific_documented_error_wins_whatever_the_order(int status, string expected)
    {
        _server.Reply(status, ProblemJson);

        var forward = await FailAsync(Problem(0, "default"), Problem(4, "class"), Problem(404, "exact"));
        var backward = await FailAsync(Problem(404, "exact"), Problem(4, "class"), Problem(0, "default"));

        Assert.Equal(expected, forward.Hint);
        Assert.Equal(expected, backward.Hint);
        Assert.Equal(status, (int)forward.StatusCode!);
    }

    [Theory]
    [InlineData(401, "The credentials were missing")]
    [InlineData(403, "The credentials are valid but not allowed")]
    [InlineData(404, "Nothing exists at that address")]
    [InlineData(429, "Too many requests")]
    [InlineData(503, "The service failed")]
    [InlineData(418, null)]
    public async Task Undocumented_status_gives_a_plain_exception_with_the_default_hint(int status, string? hint)
    {
        _server.Reply(status, "oops", "text/plain");

        var error = await FailAsync(Problem(409, "conflict"));

        Assert.IsType<ApiException>(error);
        Assert.Equal("oops", error.ResponseBody);
        if (hint is null)
        {
            Assert.Null(error.Hint);
        }
        else
        {
            Assert.StartsWith(hint, error.Hint, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Documented_error_without_a_body_schema_keeps_its_hint()
    {
        _server.Reply(409, "busy", "text/plain");

        var error = await FailAsync(new ErrorResponse(409, "Try later."));

        Assert.IsType<ApiException>(error);
        Assert.Equal("Try later.", error.Hint);
        Assert.Equal("busy", error.ResponseBody);
    }

    [Theory]
    [InlineData("<html>Bad gateway</html>", true)]
    [InlineData("[1,2]", true)]
    [InlineData("", false)]
    [InlineData("null", false)]
    public async Task Documented_error_whose_body_is_not_the_schema_keeps_the_text(string body, bool jsonError)
    {
        _server.Reply(502, body, "text/html");

        var error = await FailAsync(Problem(5, "Upstream failed."));

        Assert.IsType<ApiException>(error);
        Assert.Equal(body, error.ResponseBody);
        Assert.Equal("Upstream failed.", error.Hint);
        Assert.Equal(jsonError, error.InnerException is JsonException);
    }

    [Fact]
    public async Task Message_names_operation_status_hint_request_id_and_a_truncated_body()
    {
        var body = new string('b', 499) + "é" + new string('c', 100);
        _server.Reply(503, body, "text/plain; charset=utf-8", ("X-Correlation-Id", "corr-9"));

        var error = await FailAsync(new ErrorResponse(503, "  Retry with backoff.  "));

        Assert.Equal(
            "testOp failed with 503 ServiceUnavailable. Retry with backoff. Request id: corr-9. Response: " + new string('b', 499) + "é...",
            error.Message);
        Assert.Equal(body, error.ResponseBody);
        Assert.Equal("corr-9", error.RequestId);
    }

    [Fact]
    public async Task Message_of_a_bare_error_is_short()
    {
        _server.Reply(418);

        var error = await FailAsync();

        Assert.Equal("testOp failed with 418 418.", error.Message);
        Assert.Null(error.RequestId);
    }

    [Fact]
    public async Task Errors_are_raised_for_every_kind_of_send()
    {
        _server.Reply(500);
        var connection = _server.Connection;

        await Assert.ThrowsAsync<ApiException>(() => connection.SendAsync(Request(), default));
        await Assert.ThrowsAsync<ApiException>(() => connection.SendAsync(Request(), PointConverter.Instance, default));
        await Assert.ThrowsAsync<ApiException>(() => connection.SendOrDefaultAsync(Request(), PointConverter.Instance, default));
        await Assert.ThrowsAsync<ApiException>(() => connection.SendForTextAsync(Request(), default));
        await Assert.ThrowsAsync<ApiException>(() => connection.SendForStreamAsync(Request(), default));
    }
}

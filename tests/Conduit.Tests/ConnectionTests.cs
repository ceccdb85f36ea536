using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Conduit.Http;
using static Conduit.Tests.Api;

namespace Conduit.Tests;

public sealed class ConnectionTests : IClassFixture<LoopbackServer>
{
    private readonly LoopbackServer _server;

    public ConnectionTests(LoopbackServer server)
    {
        _server = server;
        server.Reset();
    }

    private string At(string prefix) => _server.BaseAddress.AbsoluteUri.TrimEnd('/') + prefix;

    [Theory]
    [InlineData("/base")]
    [InlineData("/base/")]
    public async Task Client_base_address_wins_over_every_document_server(string prefix)
    {
        using var client = new HttpClient { BaseAddress = new Uri(At(prefix)) };
        var connection = new ApiConnection(client, At("/default"));
        var request = new ApiRequest(Op("/items", server: At("/op")));

        await connection.SendAsync(request, default);

        Assert.Equal("/base/items", _server.Single.Target);
    }

    [Fact]
    public async Task Operation_server_wins_over_the_default_server()
    {
        var connection = new ApiConnection(_server.Client, At("/default"));

        await connection.SendAsync(new ApiRequest(Op("/items", server: At("/op"))), default);

        Assert.Equal("/op/items", _server.Single.Target);
    }

    [Theory]
    [InlineData("", "/items/7")]
    [InlineData("/", "/items/7")]
    [InlineData("/v2", "/v2/items/7")]
    [InlineData("/v2/", "/v2/items/7")]
    [InlineData("/api/v2", "/api/v2/items/7")]
    public async Task Default_server_path_prefix_is_joined_with_the_operation_path(string prefix, string expected)
    {
        var connection = new ApiConnection(_server.Client, At(prefix));
        var request = Request("/items/{id}");
        request.Path("id", "7");

        await connection.SendAsync(request, default);

        Assert.Equal(expected, _server.Single.Target);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void No_server_anywhere_is_a_clear_error(string? defaultServer)
    {
        var connection = new ApiConnection(_server.Client, defaultServer);

        var error = Assert.Throws<InvalidOperationException>(() => connection.ServerFor(Op()));

        Assert.Equal("testOp: the document names no server; set HttpClient.BaseAddress.", error.Message);
    }

    [Fact]
    public async Task Missing_path_parameter_is_a_clear_error_and_sends_nothing()
    {
        var request = Request("/items/{id}/parts/{part}");
        request.Path("id", "7");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _server.Connection.SendAsync(request, default));

        Assert.Equal("testOp: no value was given for the path parameter 'part'.", error.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public void Null_path_value_names_the_parameter()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Request("/items/{id}").Path("id", (string)null!));

        Assert.Equal("id", error.ParamName);
    }

    [Fact]
    public async Task SendAsync_reads_the_answer_through_the_converter()
    {
        _server.Reply(200, """{"x":3,"extra":{"a":[1,2]},"y":-4,"label":"p","color":"blue"}""");

        var point = await _server.Connection.SendAsync(Request(), PointConverter.Instance, default);

        Assert.Equal(new Point(3, -4, "p", Color.FromValue("blue")), point);
    }

    [Fact]
    public async Task SendOrDefaultAsync_returns_default_for_204()
    {
        _server.Reply(204);

        Assert.Null(await _server.Connection.SendOrDefaultAsync(Request(), PointConverter.Instance, default));
        Assert.Equal(0, await _server.Connection.SendOrDefaultAsync(Request(), Conduit.Json.Converters.Int32, default));
    }

    [Fact]
    public async Task SendOrDefaultAsync_reads_a_body_when_there_is_one()
    {
        _server.Reply(200, """{"x":1,"y":2}""");

        Assert.Equal(new Point(1, 2), await _server.Connection.SendOrDefaultAsync(Request(), PointConverter.Instance, default));
    }

    [Fact]
    public async Task SendAsync_on_an_empty_answer_throws_with_a_hint()
    {
        _server.Reply(200);

        var error = await Assert.ThrowsAsync<ApiException>(() => _server.Connection.SendAsync(Request(), PointConverter.Instance, default));

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal("testOp", error.OperationId);
        Assert.Equal(string.Empty, error.ResponseBody);
        Assert.Contains("no body", error.Hint, StringComparison.Ordinal);
        Assert.Contains(error.Hint!, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]", "Expected a 'Point' object but found an array.")]
    [InlineData("""{"x":1}""", "The 'Point' object has no value for its required property 'y'.")]
    [InlineData("""{"x":1,"y":"two"}""", "The payload does not have the expected shape: Cannot get the value of a token type 'String' as a number.")]
    [InlineData("""{"x":1,"y":2} {}""", null)]
    [InlineData("<html>", null)]
    public async Task Answer_of_the_wrong_shape_throws_with_the_json_error_inside(string body, string? inner)
    {
        _server.Reply(200, body);

        var error = await Assert.ThrowsAsync<ApiException>(() => _server.Connection.SendAsync(Request(), PointConverter.Instance, default));

        var cause = Assert.IsAssignableFrom<JsonException>(error.InnerException);
        if (inner is not null)
        {
            Assert.Equal(inner, cause.Message);
        }

        Assert.IsNotType<ApiException<Point>>(error);
        Assert.Equal(body, error.ResponseBody);
        Assert.Contains("does not have the shape the document describes", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendForTextAsync_decodes_the_answer()
    {
        _server.Reply(200, "héllo 😀", "text/plain; charset=utf-8");

        Assert.Equal("héllo 😀", await _server.Connection.SendForTextAsync(Request(), default));
    }

    [Fact]
    public async Task SendForStreamAsync_gives_a_readable_stream_that_disposes_the_response()
    {
        _server.Reply(200, new string('z', 100_000), "application/octet-stream");
        var capture = new CapturingHandler();
        using var client = new HttpClient(capture);
        var connection = new ApiConnection(client, _server.BaseAddress.AbsoluteUri);

        var stream = await connection.SendForStreamAsync(Request(), default);
        var response = capture.Response!;
        using (var reader = new StreamReader(stream))
        {
            Assert.True(stream.CanRead);
            Assert.False(stream.CanWrite);
            Assert.Equal(new string('z', 100_000), await reader.ReadToEndAsync());
            Assert.Null(await Record.ExceptionAsync(() => response.Content.ReadAsStreamAsync())); // Not disposed while the stream is open.
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => response.Content.ReadAsStreamAsync());
    }

    /// <summary>Passes requests to the real socket handler and keeps the last response.</summary>
    private sealed class CapturingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public HttpResponseMessage? Response { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Response = await base.SendAsync(request, cancellationToken);
    }
}

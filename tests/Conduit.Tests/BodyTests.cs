using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Conduit.Http;
using Conduit.Json;
using static Conduit.Tests.Api;

namespace Conduit.Tests;

public sealed class BodyTests : IClassFixture<LoopbackServer>
{
    private static readonly byte[] AllBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    private readonly LoopbackServer _server;

    public BodyTests(LoopbackServer server)
    {
        _server = server;
        server.Reset();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/merge-patch+json")]
    public async Task Json_body_is_serialized_through_its_converter(string contentType)
    {
        var request = Request("/points", "POST");
        request.JsonBody(new Point(1, 2, "é\"", Color.Red), PointConverter.Instance, contentType);

        var sent = await _server.SendAsync(request);

        Assert.Equal(contentType, sent.Header("Content-Type"));
        Assert.Equal("""{"x":1,"y":2,"label":"é\"","color":"red"}""", sent.Text);
        Assert.Equal(sent.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Header("Content-Length"));
    }

    [Fact]
    public async Task Json_body_is_serialized_once_when_set()
    {
        var values = new List<string> { "a" };
        var request = Request("/tags", "PUT");
        request.JsonBody<IReadOnlyList<string>>(values, Converters.List(Converters.String));
        values.Add("b");

        Assert.Equal("""["a"]""", (await _server.SendAsync(request)).Text);
    }

    [Fact]
    public async Task Form_body_is_url_encoded()
    {
        var request = Request("/login", "POST");
        request.FormBody([new("user", "a b&c=d"), new("pass", "é😀+")]);

        var sent = await _server.SendAsync(request);

        Assert.Equal("application/x-www-form-urlencoded", sent.Header("Content-Type"));
        Assert.Equal("user=a%20b%26c%3Dd&pass=%C3%A9%F0%9F%98%80%2B", sent.Text);
    }

    [Theory]
    [InlineData("text/plain", "text/plain; charset=utf-8")]
    [InlineData("text/csv", "text/csv; charset=utf-8")]
    [InlineData("text/plain; charset=utf-8", "text/plain; charset=utf-8")]
    public async Task Text_body_is_utf8_and_says_so(string contentType, string expected)
    {
        var request = Request("/notes", "POST");
        request.TextBody("héllo 😀\n", contentType);

        var sent = await _server.SendAsync(request);

        Assert.Equal(expected, sent.Header("Content-Type"));
        Assert.Equal(Encoding.UTF8.GetBytes("héllo 😀\n"), sent.Body);
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    public async Task Binary_body_sends_every_byte_value(string contentType)
    {
        var request = Request("/blobs", "PUT");
        request.BinaryBody(AllBytes, contentType);

        var sent = await _server.SendAsync(request);

        Assert.Equal(contentType, sent.Header("Content-Type"));
        Assert.Equal(AllBytes, sent.Body);
    }

    [Fact]
    public async Task Seekable_stream_body_is_sent_again_from_where_it_started()
    {
        using var stream = new MemoryStream(AllBytes) { Position = 16 };
        var request = Request("/blobs", "PUT");
        request.StreamBody(stream, "image/png");

        await _server.Connection.SendAsync(request, default);
        await _server.Connection.SendAsync(request, default);

        Assert.All(_server.Requests, sent =>
        {
            Assert.Equal("image/png", sent.Header("Content-Type"));
            Assert.Equal(AllBytes[16..], sent.Body);
        });
        Assert.Equal(2, _server.Requests.Count);
        Assert.True(stream.CanRead, "The caller keeps ownership of the stream: it must not be disposed.");
    }

    [Fact]
    public async Task Seekable_stream_body_gives_the_same_bytes_for_every_message()
    {
        using var stream = new MemoryStream(AllBytes);
        var request = Request("/blobs", "PUT");
        request.StreamBody(stream);

        using var first = request.CreateMessage(_server.BaseAddress);
        using var second = request.CreateMessage(_server.BaseAddress);

        Assert.Equal(AllBytes, await first.Content!.ReadAsByteArrayAsync());
        Assert.Equal(AllBytes, await second.Content!.ReadAsByteArrayAsync());
        Assert.Equal(AllBytes.Length, second.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Non_seekable_stream_body_is_sent_once_then_fails_clearly()
    {
        using var stream = new ForwardOnlyStream(AllBytes);
        var request = Request("/blobs", "PUT");
        request.StreamBody(stream);

        await _server.Connection.SendAsync(request, default);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _server.Connection.SendAsync(request, default));

        Assert.Equal(AllBytes, _server.Single.Body);
        Assert.Contains("testOp", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot seek", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_factory_is_called_for_every_send()
    {
        var calls = 0;
        var request = Request("/docs", "POST");
        request.Content(() =>
        {
            calls++;
            return new StringContent($"<n>{calls}</n>", Encoding.UTF8, "application/xml");
        });

        await _server.Connection.SendAsync(request, default);
        await _server.Connection.SendAsync(request, default);

        Assert.Equal(["<n>1</n>", "<n>2</n>"], _server.Requests.Select(r => r.Text));
        Assert.All(_server.Requests, sent => Assert.Equal("application/xml; charset=utf-8", sent.Header("Content-Type")));
    }

    [Fact]
    public async Task No_body_sends_no_content_headers()
    {
        var sent = await _server.SendAsync(Request("/items", "POST"));

        Assert.Empty(sent.Body);
        Assert.Null(sent.Header("Content-Type"));
    }

    /// <summary>A stream that can only be read forwards, like a network stream.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Position { get => base.Position; set => throw new NotSupportedException(); }

        public override long Length => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
    }
}

using System;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace Conduit.CallBenchmarks;

/// <summary>
/// The floor: prepared HTTP/1.1 request bytes over one kept-alive socket, the answer read into a reused
/// buffer and not parsed beyond its length. It allocates almost nothing itself, so its time is the
/// server's and the loopback's, and its allocations are (nearly all) the in-process server's.
/// </summary>
public sealed class RawSocketClient : IDisposable
{
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] ContentLength = "content-length:"u8.ToArray();
    private readonly Socket _socket;
    private readonly byte[] _get;
    private readonly byte[] _post;
    private readonly byte[] _buffer = new byte[16 * 1024];

    /// <summary>Connects to <paramref name="server"/> and prepares the two requests.</summary>
    public RawSocketClient(Uri server, byte[] postBody)
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(new IPEndPoint(IPAddress.Loopback, server.Port));
        var host = $"Host: 127.0.0.1:{server.Port}\r\n";
        _get = Encoding.ASCII.GetBytes($"GET /items/42 HTTP/1.1\r\n{host}\r\n");
        var head = Encoding.ASCII.GetBytes($"POST /items HTTP/1.1\r\n{host}Content-Type: application/json; charset=utf-8\r\nContent-Length: {postBody.Length}\r\n\r\n");
        _post = [.. head, .. postBody];
    }

    /// <summary>Sends the GET and returns the answer's body length.</summary>
    public ValueTask<int> GetAsync() => RoundTripAsync(_get);

    /// <summary>Sends the POST and returns the answer's body length.</summary>
    public ValueTask<int> PostAsync() => RoundTripAsync(_post);

    /// <inheritdoc/>
    public void Dispose() => _socket.Dispose();

    private async ValueTask<int> RoundTripAsync(byte[] request)
    {
        await _socket.SendAsync(request.AsMemory(), SocketFlags.None).ConfigureAwait(false);
        var received = 0;
        var headerLength = -1;
        var bodyLength = -1;
        while (headerLength < 0 || received < headerLength + bodyLength)
        {
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(received), SocketFlags.None).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidOperationException("The server closed the connection.");
            }

            received += read;
            if (headerLength < 0)
            {
                var end = _buffer.AsSpan(0, received).IndexOf(HeaderEnd);
                if (end >= 0)
                {
                    headerLength = end + HeaderEnd.Length;
                    bodyLength = ReadContentLength(_buffer.AsSpan(0, end));
                }
            }
        }

        return bodyLength;
    }

    private static int ReadContentLength(ReadOnlySpan<byte> headers)
    {
        Span<byte> lower = stackalloc byte[headers.Length];
        Ascii.ToLower(headers, lower, out _);
        var at = lower.IndexOf(ContentLength);
        if (at < 0)
        {
            throw new InvalidOperationException("The answer has no Content-Length.");
        }

        var value = headers[(at + ContentLength.Length)..].TrimStart((byte)' ');
        return Utf8Parser.TryParse(value, out int length, out _) ? length : throw new InvalidOperationException("Bad Content-Length.");
    }
}

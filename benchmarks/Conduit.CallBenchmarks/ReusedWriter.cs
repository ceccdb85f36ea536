using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Json;

namespace Conduit.CallBenchmarks;

/// <summary>
/// A sketch of the suggested change to <c>Conduit.Json.JsonValue.Serialize</c>: keep one buffer and one
/// <see cref="Utf8JsonWriter"/> per thread instead of a new 256-byte <see cref="ArrayBufferWriter{T}"/>
/// that the writer's first request (4 KB or more) makes it replace at once.
/// </summary>
public static class ReusedWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON with its generated converter.</summary>
    public static byte[] Serialize<T>(T value, JsonConverter<T> converter)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var writer = _writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            converter.Write(writer, value, JsonValue.Options);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}

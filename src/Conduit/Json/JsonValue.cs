using System;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

/// <summary>Whole JSON payloads to and from values, through a generated converter.</summary>
public static class JsonValue
{
    /// <summary>The options generated converters run with: strict, no reflection.</summary>
    public static JsonSerializerOptions Options { get; } = new();

    // Bodies go to an API, not into HTML: write '+', '<', '&' and non-ASCII text as they are.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>Writes <paramref name="value"/> as UTF-8 JSON.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="converter">Its converter.</param>
    public static byte[] Serialize<T>(T value, JsonConverter<T> converter)
    {
        // One buffer and writer per thread, reused: serialization is synchronous, and a converter that
        // serializes again from inside (none that Conduit writes) simply gets fresh ones.
        var scratch = s_scratch ?? new Scratch();
        s_scratch = null;
        try
        {
            scratch.Writer.Reset(scratch.Buffer);
            JsonWrite.Item(scratch.Writer, value, converter, Options);
            scratch.Writer.Flush();
            return scratch.Buffer.WrittenSpan.ToArray();
        }
        finally
        {
            scratch.Buffer.ResetWrittenCount();
            if (scratch.Buffer.Capacity <= Scratch.KeptCapacity)
            {
                s_scratch = scratch;
            }
        }
    }

    [ThreadStatic]
    private static Scratch? s_scratch;

    /// <summary>A reusable buffer and writer. Buffers that grew past <see cref="KeptCapacity"/> for a large body are not kept.</summary>
    private sealed class Scratch
    {
        public const int KeptCapacity = 64 * 1024;

        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public Utf8JsonWriter Writer { get; }

        public Scratch() => Writer = new Utf8JsonWriter(Buffer, WriterOptions);
    }

    /// <summary>Reads a whole UTF-8 JSON payload as <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="json">The payload.</param>
    /// <param name="converter">The value's converter.</param>
    /// <exception cref="JsonException">The payload is not JSON, or not of the documented shape.</exception>
    public static T? Deserialize<T>(ReadOnlySpan<byte> json, JsonConverter<T> converter)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("The payload is empty.");
        }

        T? value;
        try
        {
            value = JsonRead.Item(ref reader, converter, Options);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            // Converters read tokens with the reader's getters, which throw these for a token of another
            // type (a string where a number is documented): that is the payload's shape, as for JsonException.
            throw new JsonException($"The payload does not have the expected shape: {e.Message}", e);
        }

        if (reader.Read())
        {
            throw new JsonException("The payload has content after its JSON value.");
        }

        return value;
    }
}

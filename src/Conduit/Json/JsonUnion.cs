using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

/// <summary>
/// The steps generated converters of <c>oneOf</c> / <c>anyOf</c> unions share: peek at a discriminator
/// without consuming the value, and try a variant without losing the reader's position.
/// </summary>
public static class JsonUnion
{
    /// <summary>
    /// The string value of the top-level <paramref name="property"/> of the object the reader is on, or
    /// <see langword="null"/>; the reader itself does not move.
    /// </summary>
    /// <param name="reader">The reader, on the start of the value.</param>
    /// <param name="property">The discriminator property name.</param>
    public static string? Discriminator(ref Utf8JsonReader reader, string property)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var copy = reader;
        while (copy.Read() && copy.TokenType == JsonTokenType.PropertyName)
        {
            var match = copy.ValueTextEquals(property);
            copy.Read();
            if (match)
            {
                return copy.TokenType == JsonTokenType.String ? copy.GetString() : null;
            }

            copy.Skip();
        }

        return null;
    }

    /// <summary>
    /// Tries to read the value as one variant; on success advances the reader past it, on failure
    /// leaves the reader where it was.
    /// </summary>
    /// <typeparam name="T">The variant's type.</typeparam>
    /// <param name="reader">The reader, on the start of the value.</param>
    /// <param name="converter">The variant's converter.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="value">The value read.</param>
    public static bool TryRead<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options, out T value)
    {
        var copy = reader;
        try
        {
            value = converter.Read(ref copy, typeof(T), options)!;
            if (value is null)
            {
                return false;
            }

            reader = copy;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            value = default!;
            return false;
        }
    }

    /// <summary>The exception for a value that matches no variant of a union.</summary>
    /// <param name="type">The union's name in the document.</param>
    /// <param name="token">The token the value starts with.</param>
    public static JsonException NoMatch(string type, JsonTokenType token)
        => new($"The value ({token}) matches none of the shapes '{type}' allows.");

    /// <summary>The exception for writing a union that holds no value.</summary>
    /// <param name="type">The union's name.</param>
    public static JsonException Empty(string type) => new($"The '{type}' union holds no value.");
}

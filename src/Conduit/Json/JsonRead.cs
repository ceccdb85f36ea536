using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

#pragma warning disable CA1720 // Members are named after the .NET types they read, on purpose.

/// <summary>The reading half of generated converters: small steps shared by every model.</summary>
public static class JsonRead
{
    /// <summary>Throws a <see cref="JsonException"/> unless the reader is on <paramref name="token"/>.</summary>
    /// <param name="reader">The reader.</param>
    /// <param name="token">The expected token.</param>
    /// <param name="what">What was expected, for the message (such as "an object").</param>
    public static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string what)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"Expected {what} but found {Describe(reader.TokenType)}.");
        }
    }

    /// <summary>
    /// Checks the reader is on the start of a <paramref name="type"/> object.
    /// </summary>
    /// <param name="reader">The reader.</param>
    /// <param name="type">The model's name in the document, for the message.</param>
    public static void StartObject(ref Utf8JsonReader reader, string type)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a '{type}' object but found {Describe(reader.TokenType)}.");
        }
    }

    /// <summary>
    /// Moves to the next property of the current object. Returns <see langword="false"/> at its end;
    /// otherwise gives the property's name and leaves the reader on its value.
    /// </summary>
    /// <param name="reader">The reader, inside an object.</param>
    /// <param name="name">The property name.</param>
    public static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (!reader.Read() || reader.TokenType == JsonTokenType.EndObject)
        {
            name = string.Empty;
            return false;
        }

        name = PropertyNames.Of(ref reader);
        reader.Read();
        return true;
    }

    /// <summary>Reads a reference-type value (or <see langword="null"/>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    public static T? Ref<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : class
        => reader.TokenType == JsonTokenType.Null ? null : converter.Read(ref reader, typeof(T), options);

    /// <summary>Reads a value-type value (or <see langword="null"/>).</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    public static T? Value<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
        where T : struct
        => reader.TokenType == JsonTokenType.Null ? null : converter.Read(ref reader, typeof(T), options);

    /// <summary>Adds an unknown property to a model's additional-properties map.</summary>
    /// <typeparam name="T">The map's value type.</typeparam>
    /// <param name="map">The map, created on first use.</param>
    /// <param name="name">The property name.</param>
    /// <param name="reader">The reader, on the value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    public static void Extra<T>(ref Dictionary<string, T>? map, string name, ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        map ??= new Dictionary<string, T>(StringComparer.Ordinal);
        map[name] = Item(ref reader, converter, options);
    }

    /// <summary>
    /// Reads an array element, map value or whole payload: <c>null</c> gives <see langword="default"/>,
    /// except for free-form values, where it is a <see cref="JsonElement"/> of kind
    /// <see cref="JsonValueKind.Null"/> (the default element is no JSON value and cannot be written back).
    /// </summary>
    internal static T Item<T>(ref Utf8JsonReader reader, JsonConverter<T> converter, JsonSerializerOptions options)
        => reader.TokenType == JsonTokenType.Null && typeof(T) != typeof(JsonElement) ? default! : converter.Read(ref reader, typeof(T), options)!;

    /// <summary>The exception for a required property the answer left out or set to null.</summary>
    /// <param name="type">The model's name in the document.</param>
    /// <param name="property">The property's name in the document.</param>
    public static JsonException Missing(string type, string property)
        => new($"The '{type}' object has no value for its required property '{property}'.");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    // Typed reads of the document's common primitives: shorter generated code, no converter call.
    // A null token gives null; a token of another kind throws InvalidOperationException, which
    // JsonValue reports as a JsonException.

    /// <summary>Reads a string, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static string? String(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetString();

    /// <summary>Reads a boolean, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static bool? Boolean(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetBoolean();

    /// <summary>Reads a 32-bit integer, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static int? Int32(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();

    /// <summary>Reads a 64-bit integer, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static long? Int64(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetInt64();

    /// <summary>Reads a double, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static double? Double(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetDouble();

    /// <summary>Reads a timestamp (ISO 8601), or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static DateTimeOffset? DateTimeOffset(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset();

    /// <summary>Reads a UUID, or <see langword="null"/>.</summary>
    /// <param name="reader">The reader, on the value.</param>
    public static Guid? Guid(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : reader.GetGuid();
}

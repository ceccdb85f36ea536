using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

#pragma warning disable CA1720 // Members are named after the .NET types they write, on purpose.

/// <summary>The writing half of generated converters: small steps shared by every model.</summary>
public static class JsonWrite
{
    /// <summary>Writes a reference-type property; a null value is written only when <paramref name="writeNull"/> is set.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value (required properties) instead of leaving it out.</param>
    public static void Ref<T>(Utf8JsonWriter writer, string name, T? value, JsonConverter<T> converter, JsonSerializerOptions options, bool writeNull = false)
        where T : class
    {
        if (value is null)
        {
            if (writeNull)
            {
                writer.WriteNull(name);
            }

            return;
        }

        writer.WritePropertyName(name);
        converter.Write(writer, value, options);
    }

    /// <summary>Writes a value-type property; a null value is written only when <paramref name="writeNull"/> is set.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value (required properties) instead of leaving it out.</param>
    public static void Value<T>(Utf8JsonWriter writer, string name, T? value, JsonConverter<T> converter, JsonSerializerOptions options, bool writeNull = false)
        where T : struct
    {
        if (value is null)
        {
            if (writeNull)
            {
                writer.WriteNull(name);
            }

            return;
        }

        writer.WritePropertyName(name);
        converter.Write(writer, value.Value, options);
    }

    /// <summary>Writes an array element or map value, <c>null</c> included.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="value">The value.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    public static void Item<T>(Utf8JsonWriter writer, T value, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            converter.Write(writer, value, options);
        }
    }

    /// <summary>Writes the entries of a model's additional-properties map as properties.</summary>
    /// <typeparam name="T">The map's value type.</typeparam>
    /// <param name="writer">The writer.</param>
    /// <param name="map">The map, or <see langword="null"/>.</param>
    /// <param name="converter">The value's converter.</param>
    /// <param name="options">The options in use.</param>
    public static void Extra<T>(Utf8JsonWriter writer, System.Collections.Generic.IReadOnlyDictionary<string, T>? map, JsonConverter<T> converter, JsonSerializerOptions options)
    {
        if (map is null)
        {
            return;
        }

        foreach (var pair in map)
        {
            writer.WritePropertyName(pair.Key);
            Item(writer, pair.Value, converter, options);
        }
    }

    // Typed writes of the document's common primitives, mirroring JsonRead's typed reads. A null value
    // is written only when writeNull is set (required properties).

    /// <summary>Writes a string property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void String(Utf8JsonWriter writer, string name, string? value, bool writeNull = false)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a boolean property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void Boolean(Utf8JsonWriter writer, string name, bool? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteBoolean(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a 32-bit integer property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void Int32(Utf8JsonWriter writer, string name, int? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a 64-bit integer property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void Int64(Utf8JsonWriter writer, string name, long? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a double property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void Double(Utf8JsonWriter writer, string name, double? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a timestamp property (ISO 8601).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void DateTimeOffset(Utf8JsonWriter writer, string name, System.DateTimeOffset? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }

    /// <summary>Writes a UUID property.</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="name">The property's name in the document.</param>
    /// <param name="value">The value.</param>
    /// <param name="writeNull">Write <c>null</c> for a null value instead of leaving it out.</param>
    public static void Guid(Utf8JsonWriter writer, string name, System.Guid? value, bool writeNull = false)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
        else if (writeNull)
        {
            writer.WriteNull(name);
        }
    }
}

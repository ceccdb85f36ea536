using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

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
}

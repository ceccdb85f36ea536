using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conduit.Json;

/// <summary>Reads and writes JSON arrays as <see cref="IReadOnlyList{T}"/>.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ListConverter<T> : ConduitConverter<IReadOnlyList<T>>
{
    internal static ListConverter<T>? Shared;
    private readonly JsonConverter<T> _element;

    /// <summary>Creates the converter.</summary>
    /// <param name="element">Reads and writes one element.</param>
    public ListConverter(JsonConverter<T> element) => _element = element;

    /// <inheritdoc/>
    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        JsonRead.Expect(ref reader, JsonTokenType.StartArray, "an array");
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(JsonRead.Item(ref reader, _element, options));
        }

        return items;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        for (var i = 0; i < value.Count; i++)
        {
            JsonWrite.Item(writer, value[i], _element, options);
        }

        writer.WriteEndArray();
    }
}

/// <summary>Reads and writes JSON objects used as maps (<c>additionalProperties</c>) as <see cref="IReadOnlyDictionary{TKey, TValue}"/>.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class MapConverter<T> : ConduitConverter<IReadOnlyDictionary<string, T>>
{
    internal static MapConverter<T>? Shared;
    private readonly JsonConverter<T> _value;

    /// <summary>Creates the converter.</summary>
    /// <param name="value">Reads and writes one value.</param>
    public MapConverter(JsonConverter<T> value) => _value = value;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        JsonRead.Expect(ref reader, JsonTokenType.StartObject, "an object");
        var map = new Dictionary<string, T>(StringComparer.Ordinal);
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            map[name] = JsonRead.Item(ref reader, _value, options);
        }

        return map;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, T> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var pair in value)
        {
            writer.WritePropertyName(pair.Key);
            JsonWrite.Item(writer, pair.Value, _value, options);
        }

        writer.WriteEndObject();
    }
}

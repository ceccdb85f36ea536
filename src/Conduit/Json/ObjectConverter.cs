using System;
using System.Text.Json;

namespace Conduit.Json;

/// <summary>
/// The base of generated object-model converters: the object's braces are read and written here, the
/// members by the generated subclass.
/// </summary>
/// <typeparam name="T">The model.</typeparam>
public abstract class ObjectConverter<T> : ConduitConverter<T>
    where T : class
{
    private readonly string _schemaName;

    /// <summary>Creates the converter.</summary>
    /// <param name="schemaName">The schema's name in the document, for error messages.</param>
    protected ObjectConverter(string schemaName) => _schemaName = schemaName;

    /// <inheritdoc/>
    public sealed override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonRead.StartObject(ref reader, _schemaName);
        return ReadMembers(ref reader, options);
    }

    /// <inheritdoc/>
    public sealed override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteMembers(writer, value, options);
        writer.WriteEndObject();
    }

    /// <summary>The exception for a required member the object left out or set to null.</summary>
    /// <param name="property">The member's name in the document.</param>
    protected JsonException Missing(string property) => JsonRead.Missing(_schemaName, property);

    /// <summary>Reads the members of the object whose start the reader is past, through its end.</summary>
    /// <param name="reader">The reader, on the object's start.</param>
    /// <param name="options">The options in use.</param>
    protected abstract T ReadMembers(ref Utf8JsonReader reader, JsonSerializerOptions options);

    /// <summary>Writes the members of <paramref name="value"/> (the braces are written by the caller).</summary>
    /// <param name="writer">The writer, inside the object.</param>
    /// <param name="value">The model.</param>
    /// <param name="options">The options in use.</param>
    protected abstract void WriteMembers(Utf8JsonWriter writer, T value, JsonSerializerOptions options);
}

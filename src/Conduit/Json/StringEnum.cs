using System;
using System.Text.Json;

namespace Conduit.Json;

/// <summary>
/// An enumeration from a document that keeps values it does not list: a wrapper around the wire
/// string, with a static property per documented value. Services add values over time; a client
/// built from an older document must still read them.
/// </summary>
/// <typeparam name="TSelf">The generated enum type.</typeparam>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is an enum, in the document's sense.")]
public interface IStringEnum<TSelf>
    where TSelf : struct, IStringEnum<TSelf>
{
    /// <summary>The value as sent on the wire.</summary>
    string Value { get; }

    /// <summary>Wraps a wire value, documented or not.</summary>
    /// <param name="value">The value.</param>
    static abstract TSelf FromValue(string value);
}

/// <summary>Reads and writes a generated string enum as its wire string.</summary>
/// <typeparam name="T">The generated enum type.</typeparam>
public sealed class StringEnumConverter<T> : ConduitConverter<T>
    where T : struct, IStringEnum<T>
{
    /// <summary>The shared instance.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "One converter per enum type, reached from generated code.")]
    public static StringEnumConverter<T> Instance { get; } = new();

    /// <inheritdoc/>
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonRead.Expect(ref reader, JsonTokenType.String, $"a '{typeof(T).Name}' string");
        return T.FromValue(reader.GetString()!);
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.Value);
}

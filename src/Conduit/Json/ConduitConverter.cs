using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Conduit.Json;

/// <summary>A converter Conduit generated, able to describe its type to System.Text.Json without reflection.</summary>
public interface IConduitConverter
{
    /// <summary>Creates the metadata System.Text.Json needs for the converted type.</summary>
    /// <param name="options">The options the metadata belongs to.</param>
    JsonTypeInfo CreateTypeInfo(JsonSerializerOptions options);
}

/// <summary>
/// The base of every converter Conduit generates for a model, an enum or a union: reads and writes
/// the wire format the document describes, with no reflection (trim- and NativeAOT-safe).
/// </summary>
/// <typeparam name="T">The converted type.</typeparam>
public abstract class ConduitConverter<T> : JsonConverter<T>, IConduitConverter
{
    /// <inheritdoc/>
    public JsonTypeInfo CreateTypeInfo(JsonSerializerOptions options) => JsonMetadataServices.CreateValueInfo<T>(options, this);
}

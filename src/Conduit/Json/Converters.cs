using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Conduit.Json;

#pragma warning disable CA1720 // Members are named after the .NET types they convert, on purpose.
#pragma warning disable CS8619 // System.Text.Json types these as T?; null tokens never reach them (JsonRead and JsonWrite handle null).

/// <summary>
/// The converters generated code uses for the document's primitive types and containers: one per .NET
/// type, all reflection-free. Containers are cached per element type.
/// </summary>
public static class Converters
{
    /// <summary>Strings.</summary>
    public static JsonConverter<string> String { get; } = JsonMetadataServices.StringConverter;

    /// <summary>Booleans.</summary>
    public static JsonConverter<bool> Boolean => JsonMetadataServices.BooleanConverter;

    /// <summary>32-bit integers (<c>format: int32</c>).</summary>
    public static JsonConverter<int> Int32 => JsonMetadataServices.Int32Converter;

    /// <summary>64-bit integers (<c>type: integer</c>).</summary>
    public static JsonConverter<long> Int64 => JsonMetadataServices.Int64Converter;

    /// <summary>Single-precision numbers (<c>format: float</c>).</summary>
    public static JsonConverter<float> Single => JsonMetadataServices.SingleConverter;

    /// <summary>Double-precision numbers (<c>type: number</c>).</summary>
    public static JsonConverter<double> Double => JsonMetadataServices.DoubleConverter;

    /// <summary>Decimals (<c>format: decimal</c>).</summary>
    public static JsonConverter<decimal> Decimal => JsonMetadataServices.DecimalConverter;

    /// <summary>Timestamps (<c>format: date-time</c>).</summary>
    public static JsonConverter<DateTimeOffset> DateTimeOffset => JsonMetadataServices.DateTimeOffsetConverter;

    /// <summary>Dates (<c>format: date</c>).</summary>
    public static JsonConverter<DateOnly> DateOnly => JsonMetadataServices.DateOnlyConverter;

    /// <summary>Times of day (<c>format: time</c>).</summary>
    public static JsonConverter<TimeOnly> TimeOnly => JsonMetadataServices.TimeOnlyConverter;

    /// <summary>Durations (<c>format: duration</c>, as .NET's constant format).</summary>
    public static JsonConverter<TimeSpan> TimeSpan => JsonMetadataServices.TimeSpanConverter;

    /// <summary>UUIDs (<c>format: uuid</c>).</summary>
    public static JsonConverter<Guid> Guid => JsonMetadataServices.GuidConverter;

    /// <summary>URIs (<c>format: uri</c>), absolute or relative.</summary>
    public static JsonConverter<Uri> Uri { get; } = JsonMetadataServices.UriConverter;

    /// <summary>Base64 bytes (<c>format: byte</c>).</summary>
    public static JsonConverter<byte[]> Bytes { get; } = JsonMetadataServices.ByteArrayConverter;

    /// <summary>Any JSON value, kept as it is (free-form schemas).</summary>
    public static JsonConverter<JsonElement> Any => JsonMetadataServices.JsonElementConverter;

    /// <summary>Arrays of <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="element">The element converter (the same for every use of <typeparamref name="T"/>).</param>
    public static ListConverter<T> List<T>(JsonConverter<T> element) => ListConverter<T>.Shared ??= new ListConverter<T>(element);

    /// <summary>Objects used as maps from string to <typeparamref name="T"/> (<c>additionalProperties</c>).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value converter (the same for every use of <typeparamref name="T"/>).</param>
    public static MapConverter<T> Map<T>(JsonConverter<T> value) => MapConverter<T>.Shared ??= new MapConverter<T>(value);
}

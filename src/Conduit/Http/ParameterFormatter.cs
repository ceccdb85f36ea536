using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conduit.Json;

namespace Conduit.Http;

/// <summary>
/// Formats parameter values as OpenAPI expects them on the wire: invariant culture, lower-case
/// booleans, ISO 8601 dates. Generated code passes these as method groups for list parameters.
/// </summary>
public static class ParameterFormatter
{
    /// <summary>A string, unchanged.</summary>
    /// <param name="value">The value.</param>
    public static string Format(string value) => value;

    /// <summary><c>true</c> or <c>false</c>.</summary>
    /// <param name="value">The value.</param>
    public static string Format(bool value) => value ? "true" : "false";

    /// <summary>An integer, invariant.</summary>
    /// <param name="value">The value.</param>
    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer, invariant.</summary>
    /// <param name="value">The value.</param>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A number, invariant and round-trippable.</summary>
    /// <param name="value">The value.</param>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number, invariant and round-trippable.</summary>
    /// <param name="value">The value.</param>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number, invariant.</summary>
    /// <param name="value">The value.</param>
    public static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A timestamp in ISO 8601 (RFC 3339).</summary>
    /// <param name="value">The value.</param>
    public static string Format(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>A date, <c>yyyy-MM-dd</c>.</summary>
    /// <param name="value">The value.</param>
    public static string Format(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A time of day, <c>HH:mm:ss</c> with fractions when present.</summary>
    /// <param name="value">The value.</param>
    public static string Format(TimeOnly value) => value.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>A duration in .NET's constant format.</summary>
    /// <param name="value">The value.</param>
    public static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>A UUID, lower case with hyphens.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Guid value) => value.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>A URI as written.</summary>
    /// <param name="value">The value.</param>
    public static string Format(Uri value) => value?.OriginalString ?? string.Empty;

    /// <summary>Bytes as base64.</summary>
    /// <param name="value">The value.</param>
    public static string Format(byte[] value) => Convert.ToBase64String(value);

    /// <summary>
    /// The top-level members of an object parameter, for <c>form</c>, <c>deepObject</c> and the path
    /// styles: serialized through its converter, strings unquoted, other values as JSON text.
    /// </summary>
    /// <typeparam name="T">The object's type.</typeparam>
    /// <param name="value">The object, or <see langword="null"/>.</param>
    /// <param name="converter">Its converter.</param>
    public static IEnumerable<KeyValuePair<string, string>>? Members<T>(T? value, JsonConverter<T> converter)
    {
        if (value is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(JsonValue.Serialize(value, converter));
        var members = new List<KeyValuePair<string, string>>();
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    members.Add(new(property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText()));
                }
            }
        }

        return members;
    }
}

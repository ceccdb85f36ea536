using System;
using System.Text.Json;
using Conduit.Json;

namespace Conduit.Tests;

/// <summary>A model as Conduit generates them: required <c>x</c> and <c>y</c>, optional <c>label</c> and <c>color</c>.</summary>
public sealed record Point(int X, int Y, string? Label = null, Color? Color = null);

/// <summary>A hand-written converter shaped like a generated one.</summary>
public sealed class PointConverter : ConduitConverter<Point>
{
    public static PointConverter Instance { get; } = new();

    public override Point Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JsonRead.StartObject(ref reader, "Point");
        int? x = null, y = null;
        string? label = null;
        Color? color = null;
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            switch (name)
            {
                case "x": x = JsonRead.Value(ref reader, Converters.Int32, options); break;
                case "y": y = JsonRead.Value(ref reader, Converters.Int32, options); break;
                case "label": label = JsonRead.Ref(ref reader, Converters.String, options); break;
                case "color": color = JsonRead.Value(ref reader, StringEnumConverter<Color>.Instance, options); break;
                default: reader.Skip(); break;
            }
        }

        return new Point(x ?? throw JsonRead.Missing("Point", "x"), y ?? throw JsonRead.Missing("Point", "y"), label, color);
    }

    public override void Write(Utf8JsonWriter writer, Point value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        JsonWrite.Value<int>(writer, "x", value.X, Converters.Int32, options, writeNull: true);
        JsonWrite.Value<int>(writer, "y", value.Y, Converters.Int32, options, writeNull: true);
        JsonWrite.Ref(writer, "label", value.Label, Converters.String, options);
        JsonWrite.Value(writer, "color", value.Color, StringEnumConverter<Color>.Instance, options);
        writer.WriteEndObject();
    }
}

/// <summary>A string enum as Conduit generates them: documented values plus any other the service sends.</summary>
public readonly struct Color : IStringEnum<Color>, IEquatable<Color>
{
    private Color(string value) => Value = value;

    public static Color Red { get; } = new("red");

    public static Color Green { get; } = new("green");

    public string Value { get; }

    public static Color FromValue(string value) => value switch
    {
        "red" => Red,
        "green" => Green,
        _ => new(value),
    };

    public bool Equals(Color other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is Color other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value ?? string.Empty);

    public override string ToString() => Value;
}

/// <summary>A JSON context as Conduit generates them, over the hand-written converters.</summary>
public sealed class TestJsonContext(JsonSerializerOptions? options = null) : ConduitJsonContext(options)
{
    protected override IConduitConverter? FindConverter(Type type)
        => type == typeof(Point) ? PointConverter.Instance
        : type == typeof(Color) ? StringEnumConverter<Color>.Instance
        : null;
}

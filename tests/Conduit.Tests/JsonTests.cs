using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using Conduit.Json;

namespace Conduit.Tests;

public sealed class JsonTests
{
    private static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    private static string RoundTrip<T>(string json, System.Text.Json.Serialization.JsonConverter<T> converter)
        => Encoding.UTF8.GetString(JsonValue.Serialize(JsonValue.Deserialize(Utf8(json), converter)!, converter));

    /// <summary>A reader on the first token of <paramref name="json"/>.</summary>
    private static Utf8JsonReader ReaderOn(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return reader;
    }

    [Theory]
    [InlineData("""["a",null,"","é\n"]""", """["a",null,"","é\n"]""")]
    [InlineData("[]", "[]")]
    public void List_round_trips_with_nulls(string json, string expected)
        => Assert.Equal(expected, RoundTrip(json, Converters.List(Converters.String)));

    [Theory]
    [InlineData("""{"a":"x","b":null,"":"empty"}""", """{"a":"x","b":null,"":"empty"}""")]
    [InlineData("{}", "{}")]
    public void Map_round_trips_with_nulls(string json, string expected)
        => Assert.Equal(expected, RoundTrip(json, Converters.Map(Converters.String)));

    [Fact]
    public void Nested_containers_round_trip()
    {
        var json = """{"a":[{"x":1,"y":2,"color":"red"},null],"b":[]}""";

        Assert.Equal(json, RoundTrip(json, Converters.Map(Converters.List(PointConverter.Instance))));
    }

    [Fact]
    public void Free_form_values_round_trip_including_null_members()
    {
        var json = """{"s":"t","n":1.50,"o":{"k":[true,null]},"z":null}""";

        Assert.Equal(json, RoundTrip(json, Converters.Map(Converters.Any)));
        Assert.Equal("[1,null,{}]", RoundTrip("[1,null,{}]", Converters.List(Converters.Any)));
    }

    [Fact]
    public void Additional_properties_keep_free_form_nulls()
    {
        var reader = ReaderOn(Utf8("""{"a":null,"b":[null]}"""));
        Dictionary<string, JsonElement>? extra = null;
        while (JsonRead.NextProperty(ref reader, out var name))
        {
            JsonRead.Extra(ref extra, name, ref reader, Converters.Any, JsonValue.Options);
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            JsonWrite.Extra(writer, extra, Converters.Any, JsonValue.Options);
            writer.WriteEndObject();
        }

        Assert.Equal(JsonValueKind.Null, extra!["a"].ValueKind);
        Assert.Equal("""{"a":null,"b":[null]}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("{}", "an array", "an object")]
    [InlineData("\"x\"", "an array", "a string")]
    public void List_rejects_other_shapes(string json, string expected, string found)
    {
        var error = Assert.Throws<JsonException>(() => JsonValue.Deserialize(Utf8(json), Converters.List(Converters.String)));

        Assert.Equal($"Expected {expected} but found {found}.", error.Message);
    }

    [Fact]
    public void String_enum_keeps_unknown_values()
    {
        var unknown = JsonValue.Deserialize(Utf8("\"ultraviolet\""), StringEnumConverter<Color>.Instance);

        Assert.Equal("ultraviolet", unknown.Value);
        Assert.NotEqual(Color.Red, unknown);
        Assert.Equal(Color.Red, JsonValue.Deserialize(Utf8("\"red\""), StringEnumConverter<Color>.Instance));
        Assert.Equal("\"ultraviolet\"", Encoding.UTF8.GetString(JsonValue.Serialize(unknown, StringEnumConverter<Color>.Instance)));
    }

    [Fact]
    public void String_enum_rejects_other_tokens()
    {
        var error = Assert.Throws<JsonException>(() => JsonValue.Deserialize(Utf8("1"), StringEnumConverter<Color>.Instance));

        Assert.Equal("Expected a 'Color' string but found a number.", error.Message);
    }

    [Theory]
    [InlineData("""{"shape":{"kind":"inner"},"kind":"circle","r":2}""", "circle")]
    [InlineData("""{"r":2,"k\u0069nd":"square"}""", "square")]
    [InlineData("""{"kind":7}""", null)]
    [InlineData("""{"r":[{"kind":"no"}]}""", null)]
    [InlineData("""["kind","circle"]""", null)]
    public void Discriminator_peeks_without_moving_the_reader(string json, string? expected)
    {
        var bytes = Utf8(json);
        var reader = ReaderOn(bytes);
        var start = (reader.TokenType, reader.BytesConsumed, reader.CurrentDepth);

        Assert.Equal(expected, JsonUnion.Discriminator(ref reader, "kind"));
        Assert.Equal(start, (reader.TokenType, reader.BytesConsumed, reader.CurrentDepth));
    }

    [Theory]
    [InlineData("""[{"x":"one","y":2},5]""", """{"x":"one","y":2}""")]
    [InlineData("""[{"x":1},5]""", """{"x":1}""")]
    [InlineData("""["point",5]""", "\"point\"")]
    public void TryRead_leaves_the_reader_in_place_on_failure(string json, string value)
    {
        var reader = ReaderOn(Utf8(json));
        reader.Read();
        var start = (reader.TokenType, reader.BytesConsumed);

        Assert.False(JsonUnion.TryRead(ref reader, PointConverter.Instance, JsonValue.Options, out _));

        Assert.Equal(start, (reader.TokenType, reader.BytesConsumed));
        Assert.True(JsonUnion.TryRead(ref reader, Converters.Any, JsonValue.Options, out var any));
        Assert.Equal(value, any.GetRawText());
    }

    [Fact]
    public void TryRead_advances_past_the_value_on_success()
    {
        var reader = ReaderOn(Utf8("""[{"x":1,"y":2,"skip":{"a":[1]}},5]"""));
        reader.Read();

        Assert.True(JsonUnion.TryRead(ref reader, PointConverter.Instance, JsonValue.Options, out var point));

        Assert.Equal(new Point(1, 2), point);
        Assert.Equal(JsonTokenType.EndObject, reader.TokenType);
        Assert.True(reader.Read());
        Assert.Equal(5, reader.GetInt32());
    }

    [Fact]
    public void Missing_names_the_model_and_the_property()
    {
        var error = JsonRead.Missing("Point", "y");

        Assert.IsType<JsonException>(error);
        Assert.Equal("The 'Point' object has no value for its required property 'y'.", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("""{"x":1,"y":2}{"x":1,"y":2}""")]
    [InlineData("""{"x":1,"y":2} 1""")]
    [InlineData("""{"x":1,"y":2""")]
    public void Deserialize_rejects_empty_truncated_and_trailing_payloads(string json)
        => Assert.ThrowsAny<JsonException>(() => JsonValue.Deserialize(Utf8(json), PointConverter.Instance));

    [Fact]
    public void Deserialize_accepts_surrounding_whitespace_and_top_level_null()
    {
        Assert.Equal(new Point(1, 2), JsonValue.Deserialize(Utf8(" \n{\"x\":1,\"y\":2}\r\n "), PointConverter.Instance));
        Assert.Null(JsonValue.Deserialize(Utf8("null"), PointConverter.Instance));
    }

    [Fact]
    public void Context_lets_JsonSerializer_use_the_generated_converters()
    {
        var context = new TestJsonContext();
        var point = new Point(1, 2, "a", Color.FromValue("teal"));

        var json = JsonSerializer.Serialize(point, context.Options);

        Assert.Equal("""{"x":1,"y":2,"label":"a","color":"teal"}""", json);
        Assert.Equal(point, JsonSerializer.Deserialize<Point>(json, context.Options));
        Assert.Equal("\"red\"", JsonSerializer.Serialize(Color.Red, context.Options));
        Assert.Same(context, context.Options.TypeInfoResolver);
    }

    [Fact]
    public void Context_binds_to_options_it_is_given()
    {
        var context = new TestJsonContext(new JsonSerializerOptions { WriteIndented = true });

        Assert.Equal("{\n  \"x\": 1,\n  \"y\": 2\n}", JsonSerializer.Serialize(new Point(1, 2), context.Options).ReplaceLineEndings("\n"));
        Assert.Same(context.GetTypeInfo(typeof(Point)), context.GetTypeInfo(typeof(Point)));
        Assert.Null(context.GetTypeInfo(typeof(Uri)));
    }
}

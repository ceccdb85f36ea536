using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Conduit.Http;
using Conduit.Json;

namespace Conduit.Tests;

public sealed class ParameterFormatterTests
{
    public static TheoryData<object?, string> Values => new()
    {
        { "a b,é", "a b,é" },
        { true, "true" },
        { false, "false" },
        { -42, "-42" },
        { 9_000_000_000L, "9000000000" },
        { 1234.5f, "1234.5" },
        { 0.1f, "0.1" },
        { 1234.25d, "1234.25" },
        { 1e21d, "1E+21" },
        { -1234.5m, "-1234.5" },
        { new DateTimeOffset(2024, 2, 29, 13, 45, 30, 123, TimeSpan.FromHours(2)), "2024-02-29T13:45:30.1230000+02:00" },
        { new DateOnly(2024, 2, 29), "2024-02-29" },
        { new TimeOnly(13, 45, 30), "13:45:30" },
        { new TimeOnly(13, 45, 30, 250), "13:45:30.25" },
        { new TimeSpan(1, 2, 3, 4, 500), "1.02:03:04.5000000" },
        { new Guid("0F8FAD5B-D9CB-469F-A165-70867728950E"), "0f8fad5b-d9cb-469f-a165-70867728950e" },
        { new Uri("/a b?x=é", UriKind.Relative), "/a b?x=é" },
        { new Uri("HTTP://Example.com:80/a"), "HTTP://Example.com:80/a" },
        { new byte[] { 0, 1, 2, 0xFB, 0xFF }, "AAEC+/8=" },
    };

    /// <summary>Runs under de-DE, whose decimal separator is a comma and whose group separator is a dot.</summary>
    [Theory]
    [MemberData(nameof(Values))]
    public void Format_writes_invariant_wire_text_under_any_culture(object? value, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal("1.234,5", 1234.5.ToString("N1", CultureInfo.CurrentCulture)); // The culture really is in effect.
            Assert.Equal(expected, Format(value));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Format_of_a_null_uri_is_empty() => Assert.Equal(string.Empty, ParameterFormatter.Format((Uri)null!));

    [Fact]
    public void Members_lists_top_level_members_with_strings_unquoted_and_nulls_left_out()
    {
        var json = """{"s":"a \"q\"","n":1.50,"b":true,"o":{"k":[1,null]},"a":["x"],"z":null}""";
        var value = JsonValue.Deserialize<IReadOnlyDictionary<string, JsonElement>>(System.Text.Encoding.UTF8.GetBytes(json), Converters.Map(Converters.Any));

        var members = ParameterFormatter.Members(value, Converters.Map(Converters.Any));

        Assert.Equal(
            [new("s", "a \"q\""), new("n", "1.50"), new("b", "true"), new("o", """{"k":[1,null]}"""), new("a", """["x"]""")],
            members!);
    }

    [Fact]
    public void Members_follows_the_model_converter()
    {
        var members = ParameterFormatter.Members(new Point(1, -2, Color: Color.FromValue("teal")), PointConverter.Instance);

        Assert.Equal([new("x", "1"), new("y", "-2"), new("color", "teal")], members!);
    }

    [Fact]
    public void Members_of_null_is_null_and_of_a_non_object_is_empty()
    {
        Assert.Null(ParameterFormatter.Members<Point>(null, PointConverter.Instance));
        Assert.Empty(ParameterFormatter.Members("text", Converters.String)!);
    }

    private static string Format(object? value) => value switch
    {
        string v => ParameterFormatter.Format(v),
        bool v => ParameterFormatter.Format(v),
        int v => ParameterFormatter.Format(v),
        long v => ParameterFormatter.Format(v),
        float v => ParameterFormatter.Format(v),
        double v => ParameterFormatter.Format(v),
        decimal v => ParameterFormatter.Format(v),
        DateTimeOffset v => ParameterFormatter.Format(v),
        DateOnly v => ParameterFormatter.Format(v),
        TimeOnly v => ParameterFormatter.Format(v),
        TimeSpan v => ParameterFormatter.Format(v),
        Guid v => ParameterFormatter.Format(v),
        Uri v => ParameterFormatter.Format(v),
        byte[] v => ParameterFormatter.Format(v),
        _ => throw new ArgumentException("No overload for " + value?.GetType(), nameof(value)),
    };
}

using System;
using System.Linq;
using System.Text;
using Conduit.Json;

namespace Conduit.Tests;

/// <summary>The allocation savings on the JSON path must not change what is read or written.</summary>
public sealed class JsonReuseTests
{
    [Fact]
    public void Escaped_property_names_are_read_as_their_text()
    {
        var point = JsonValue.Deserialize("""{"\u0078":1,"y":2,"l\u0061bel":"a"}"""u8, PointConverter.Instance)!;

        Assert.Equal(new Point(1, 2, "a"), point);
    }

    [Fact]
    public void More_distinct_names_than_are_kept_are_still_read_right()
    {
        // Unknown members are skipped; the known ones after thousands of distinct names still match.
        var json = new StringBuilder("{");
        for (var i = 0; i < 10_000; i++)
        {
            json.Append("\"member").Append(i).Append("\":").Append(i).Append(',');
        }

        json.Append("\"x\":3,\"y\":4}");

        Assert.Equal(new Point(3, 4), JsonValue.Deserialize(Encoding.UTF8.GetBytes(json.ToString()), PointConverter.Instance));
    }

    [Fact]
    public void Each_serialization_returns_its_own_exact_bytes()
    {
        var first = JsonValue.Serialize(new Point(1, 2, "first"), PointConverter.Instance);
        var second = JsonValue.Serialize(new Point(3, 4), PointConverter.Instance);

        Assert.Equal("""{"x":1,"y":2,"label":"first"}""", Encoding.UTF8.GetString(first));
        Assert.Equal("""{"x":3,"y":4}""", Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void A_large_body_and_bodies_on_many_threads_serialize_whole()
    {
        var label = new string('z', 200_000);
        var large = JsonValue.Serialize(new Point(1, 2, label), PointConverter.Instance);
        Assert.Equal(200_000 + """{"x":1,"y":2,"label":""}""".Length, large.Length);

        var results = Enumerable.Range(0, 64).AsParallel().Select(i => Encoding.UTF8.GetString(JsonValue.Serialize(new Point(i, -i), PointConverter.Instance))).ToArray();
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $$"""{"x":{{i}},"y":{{-i}}}"""), results);
        Assert.Equal("""{"x":5,"y":6}""", Encoding.UTF8.GetString(JsonValue.Serialize(new Point(5, 6), PointConverter.Instance)));
    }
}

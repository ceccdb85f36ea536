using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Conduit.Http;
using static Conduit.Tests.Api;

namespace Conduit.Tests;

/// <summary>The shapes of the OpenAPI "Style Examples" table.</summary>
public enum Shape
{
    /// <summary>The empty string.</summary>
    Empty,

    /// <summary><c>blue</c>.</summary>
    Scalar,

    /// <summary><c>blue, black, brown</c>.</summary>
    List,

    /// <summary><c>R=100, G=200, B=150</c>.</summary>
    Object,
}

/// <summary>Every parameter style and location, as the server receives it.</summary>
public sealed class ParameterStyleTests : IClassFixture<LoopbackServer>
{
    /// <summary>Reserved ASCII, a space, a percent sign, an accented letter and a surrogate pair (U+1F600).</summary>
    private const string Awkward = "a b/c?d#e&f=g+h,i;j%k[l]é😀";

    private const string AwkwardEncoded = "a%20b%2Fc%3Fd%23e%26f%3Dg%2Bh%2Ci%3Bj%25k%5Bl%5D%C3%A9%F0%9F%98%80";

    private readonly LoopbackServer _server;

    public ParameterStyleTests(LoopbackServer server)
    {
        _server = server;
        server.Reset();
    }

    [Theory]
    [InlineData(ParameterStyle.Simple, false, Shape.Empty, "/colors/")]
    [InlineData(ParameterStyle.Simple, false, Shape.Scalar, "/colors/blue")]
    [InlineData(ParameterStyle.Simple, true, Shape.Scalar, "/colors/blue")]
    [InlineData(ParameterStyle.Simple, false, Shape.List, "/colors/blue,black,brown")]
    [InlineData(ParameterStyle.Simple, true, Shape.List, "/colors/blue,black,brown")]
    [InlineData(ParameterStyle.Simple, false, Shape.Object, "/colors/R,100,G,200,B,150")]
    [InlineData(ParameterStyle.Simple, true, Shape.Object, "/colors/R=100,G=200,B=150")]
    [InlineData(ParameterStyle.Label, false, Shape.Empty, "/colors/%2E")] // ".", encoded so it is not a dot segment.
    [InlineData(ParameterStyle.Label, false, Shape.Scalar, "/colors/.blue")]
    [InlineData(ParameterStyle.Label, true, Shape.Scalar, "/colors/.blue")]
    [InlineData(ParameterStyle.Label, false, Shape.List, "/colors/.blue,black,brown")]
    [InlineData(ParameterStyle.Label, true, Shape.List, "/colors/.blue.black.brown")]
    [InlineData(ParameterStyle.Label, false, Shape.Object, "/colors/.R,100,G,200,B,150")]
    [InlineData(ParameterStyle.Label, true, Shape.Object, "/colors/.R=100.G=200.B=150")]
    [InlineData(ParameterStyle.Matrix, false, Shape.Empty, "/colors/;color")]
    [InlineData(ParameterStyle.Matrix, true, Shape.Empty, "/colors/;color")]
    [InlineData(ParameterStyle.Matrix, false, Shape.Scalar, "/colors/;color=blue")]
    [InlineData(ParameterStyle.Matrix, true, Shape.Scalar, "/colors/;color=blue")]
    [InlineData(ParameterStyle.Matrix, false, Shape.List, "/colors/;color=blue,black,brown")]
    [InlineData(ParameterStyle.Matrix, true, Shape.List, "/colors/;color=blue;color=black;color=brown")]
    [InlineData(ParameterStyle.Matrix, false, Shape.Object, "/colors/;color=R,100,G,200,B,150")]
    [InlineData(ParameterStyle.Matrix, true, Shape.Object, "/colors/;R=100;G=200;B=150")]
    public async Task Path_styles_match_the_specification_examples(ParameterStyle style, bool explode, Shape shape, string expected)
    {
        var request = Request("/colors/{color}");
        switch (shape)
        {
            case Shape.List:
                request.Path("color", Colors, ParameterFormatter.Format, style, explode);
                break;
            case Shape.Object:
                request.PathObject("color", Rgb, style, explode);
                break;
            default:
                request.Path("color", shape == Shape.Empty ? string.Empty : "blue", style, explode);
                break;
        }

        Assert.Equal(expected, (await _server.SendAsync(request)).Target);
    }

    [Theory]
    [InlineData(ParameterStyle.Form, true, Shape.Empty, "/items?color=")]
    [InlineData(ParameterStyle.Form, true, Shape.Scalar, "/items?color=blue")]
    [InlineData(ParameterStyle.Form, false, Shape.List, "/items?color=blue,black,brown")]
    [InlineData(ParameterStyle.Form, true, Shape.List, "/items?color=blue&color=black&color=brown")]
    [InlineData(ParameterStyle.Form, false, Shape.Object, "/items?color=R,100,G,200,B,150")]
    [InlineData(ParameterStyle.Form, true, Shape.Object, "/items?R=100&G=200&B=150")]
    [InlineData(ParameterStyle.SpaceDelimited, false, Shape.List, "/items?color=blue%20black%20brown")]
    [InlineData(ParameterStyle.SpaceDelimited, false, Shape.Object, "/items?color=R%20100%20G%20200%20B%20150")]
    [InlineData(ParameterStyle.PipeDelimited, false, Shape.List, "/items?color=blue%7Cblack%7Cbrown")]
    [InlineData(ParameterStyle.PipeDelimited, false, Shape.Object, "/items?color=R%7C100%7CG%7C200%7CB%7C150")]
    [InlineData(ParameterStyle.DeepObject, true, Shape.Object, "/items?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150")]
    public async Task Query_styles_match_the_specification_examples(ParameterStyle style, bool explode, Shape shape, string expected)
    {
        var request = Request();
        switch (shape)
        {
            case Shape.List:
                request.Query("color", Colors, ParameterFormatter.Format, style, explode);
                break;
            case Shape.Object:
                request.QueryObject("color", Rgb, style, explode);
                break;
            default:
                request.Query("color", shape == Shape.Empty ? string.Empty : "blue");
                break;
        }

        Assert.Equal(expected, (await _server.SendAsync(request)).Target);
    }

    [Fact]
    public async Task Query_parameters_are_joined_in_the_order_they_are_added()
    {
        var request = Request();
        request.Query("b", "2");
        request.Query("n", new[] { 1, 2 }, ParameterFormatter.Format);
        request.QueryObject("f", new[] { KeyValuePair.Create("x", "1") }, ParameterStyle.DeepObject);

        Assert.Equal("/items?b=2&n=1&n=2&f%5Bx%5D=1", (await _server.SendAsync(request)).Target);
    }

    [Fact]
    public async Task Percent_encoding_covers_reserved_and_non_ascii_characters_in_path_query_and_cookie()
    {
        var request = Request("/files/{name}/{tags}");
        request.Path("name", Awkward);
        request.Path("tags", new[] { "a,b", "é" }, ParameterFormatter.Format);
        request.Query("q" + Awkward, Awkward);
        request.Query("list", new[] { "x,y", "😀" }, ParameterFormatter.Format, explode: false);
        request.QueryObject("o", new[] { KeyValuePair.Create("k&", "v=") }, ParameterStyle.Form, explode: false);
        request.Cookie("c", Awkward);

        var sent = await _server.SendAsync(request);

        Assert.Equal($"/files/{AwkwardEncoded}/a%2Cb,%C3%A9?q{AwkwardEncoded}={AwkwardEncoded}&list=x%2Cy,%F0%9F%98%80&o=k%26,v%3D", sent.Target);
        Assert.Equal("c=" + AwkwardEncoded, sent.Header("Cookie"));
    }

    [Fact]
    public async Task Label_and_matrix_encode_names_and_values()
    {
        var request = Request("/{a}/{b}/{c}");
        request.Path("a", "x.y z", ParameterStyle.Label);
        request.Path("b", new[] { "1;2", "é" }, ParameterFormatter.Format, ParameterStyle.Matrix, explode: true);
        request.PathObject("c", new[] { KeyValuePair.Create("k=", "v;") }, ParameterStyle.Matrix, explode: true);

        Assert.Equal("/.x.y%20z/;b=1%3B2;b=%C3%A9/;k%3D=v%3B", (await _server.SendAsync(request)).Target);
    }

    [Theory]
    [InlineData("a/b:c@d!e$f'g(h)i*j+k,l;m=n?o&p", "a/b:c@d!e$f'g(h)i*j+k,l;m=n?o&p")]
    [InlineData("space é😀", "space%20%C3%A9%F0%9F%98%80")]
    [InlineData("pre%2Fencoded%26", "pre%2Fencoded%26")]
    [InlineData("100%", "100%25")]
    [InlineData("a#b[c]", "a%23b%5Bc%5D")]
    public async Task Allow_reserved_keeps_reserved_characters_and_encoded_triples(string value, string expected)
    {
        var request = Request();
        request.Query("q", value, allowReserved: true);
        request.Query("list", new[] { value, value }, ParameterFormatter.Format, explode: false, allowReserved: true);
        request.QueryObject("o", new[] { KeyValuePair.Create("k", value) }, ParameterStyle.Form, explode: false, allowReserved: true);
        request.Query("after", "1");

        Assert.Equal($"/items?q={expected}&list={expected},{expected}&o=k,{expected}&after=1", (await _server.SendAsync(request)).Target);
    }

    [Fact]
    public async Task Header_simple_style_sends_lists_objects_and_reserved_characters_as_they_are()
    {
        var request = Request();
        request.Header("X-Scalar", "a b/c?d=e;f");
        request.Header("X-List", Colors, ParameterFormatter.Format);
        request.Header("X-Numbers", new[] { 1.5, 2 }, ParameterFormatter.Format);
        request.HeaderObject("X-Object", Rgb);
        request.HeaderObject("X-Exploded", Rgb, explode: true);

        var sent = await _server.SendAsync(request);

        Assert.Equal("a b/c?d=e;f", sent.Header("X-Scalar"));
        Assert.Equal("blue,black,brown", sent.Header("X-List"));
        Assert.Equal("1.5,2", sent.Header("X-Numbers"));
        Assert.Equal("R,100,G,200,B,150", sent.Header("X-Object"));
        Assert.Equal("R=100,G=200,B=150", sent.Header("X-Exploded"));
    }

    [Fact]
    public async Task Cookies_are_joined_in_one_header_with_form_style_lists()
    {
        var request = Request();
        request.Cookie("session", "abc");
        request.Cookie("color", Colors, ParameterFormatter.Format);
        request.Cookie("odd", new[] { "a,b", "c d" }, ParameterFormatter.Format);

        Assert.Equal("session=abc; color=blue,black,brown; odd=a%2Cb,c%20d", (await _server.SendAsync(request)).Header("Cookie"));
    }

    [Fact]
    public async Task Null_optional_parameters_add_nothing()
    {
        var request = Request();
        request.Query("q", null);
        request.Query<int>("list", null, ParameterFormatter.Format);
        request.QueryObject("o", null);
        request.Header("X-A", null);
        request.Header<string>("X-B", null, ParameterFormatter.Format);
        request.HeaderObject("X-C", null);
        request.Cookie("c", null);
        request.Cookie<string>("d", null, ParameterFormatter.Format);

        var sent = await _server.SendAsync(request);

        Assert.Equal("/items", sent.Target);
        Assert.DoesNotContain(sent.Headers.Keys, name => name.StartsWith("X-", StringComparison.OrdinalIgnoreCase) || name == "Cookie");
    }

    [Fact]
    public async Task Null_list_elements_are_sent_as_empty_strings()
    {
        var request = Request();
        request.Query("n", new int?[] { 1, null, 3 }, v => ParameterFormatter.Format(v!.Value), explode: false);

        Assert.Equal("/items?n=1,,3", (await _server.SendAsync(request)).Target);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task The_operation_method_is_sent(string method)
    {
        var sent = await _server.SendAsync(Request("/items", method));

        Assert.Equal(method, sent.Method);
    }

    [Fact]
    public async Task Path_parameters_that_are_dot_segments_are_not_resolved_away()
    {
        var request = Request("/users/{id}/{sub}/profile");
        request.Path("id", "..");
        request.Path("sub", ".");

        Assert.Equal("/users/%2E%2E/%2E/profile", (await _server.SendAsync(request)).Target);
    }
}

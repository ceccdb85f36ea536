using Conduit.Generators.Reading;

namespace Conduit.Generators.Tests.Reading;

public class LineMapTests
{
    // Lines: "abc" \n "de" \r\n "f" \r "g" \n "" \n "h"
    private const string Text = "abc\nde\r\nf\rg\n\nh";

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(2, 0, 2)]
    [InlineData(3, 0, 3)] // the \n itself ends line 0
    [InlineData(4, 1, 0)]
    [InlineData(6, 1, 2)] // the \r of \r\n
    [InlineData(7, 1, 3)] // the \n of \r\n
    [InlineData(8, 2, 0)]
    [InlineData(9, 2, 1)] // a lone \r
    [InlineData(10, 3, 0)]
    [InlineData(11, 3, 1)]
    [InlineData(12, 4, 0)] // an empty line
    [InlineData(13, 5, 0)]
    [InlineData(14, 5, 1)] // the end of the text
    public void Maps_offsets_across_every_kind_of_line_break(int offset, int line, int column)
    {
        Assert.Equal((line, column), LineMap.Create(Text).GetPosition(offset));
    }

    [Fact]
    public void Text_without_line_breaks_is_one_line()
    {
        var map = LineMap.Create("abc");
        Assert.Equal((0, 3), map.GetPosition(3));
    }

    [Fact]
    public void Empty_text_has_one_empty_line()
    {
        Assert.Equal((0, 0), LineMap.Create("").GetPosition(0));
    }

    [Fact]
    public void Offsets_outside_the_text_are_clamped()
    {
        var map = LineMap.Create("ab\ncd");
        Assert.Equal((0, 0), map.GetPosition(-5));
        Assert.Equal((1, 2), map.GetPosition(99));
    }

    [Fact]
    public void Text_ending_in_a_line_break_has_a_last_empty_line()
    {
        var map = LineMap.Create("a\r\n");
        Assert.Equal((0, 1), map.GetPosition(1));
        Assert.Equal((1, 0), map.GetPosition(3));
    }
}

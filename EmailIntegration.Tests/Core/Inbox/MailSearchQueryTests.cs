using EmailIntegration.Core.Inbox;

namespace EmailIntegration.Tests.Core.Inbox;

public sealed class MailSearchQueryTests
{
    [Theory]
    [InlineData("printer", "\"printer\"*")]
    [InlineData("  printer   fire ", "\"printer\" \"fire\"*")]
    [InlineData("pr", "\"pr\"")]
    [InlineData("anna@example.com", "\"anna@example.com\"")]
    [InlineData("say \"hi\"", "\"say\" \"\"\"hi\"\"\"")]
    [InlineData("AND OR NOT", "\"AND\" \"OR\" \"NOT\"*")]
    [InlineData("fire* -smoke", "\"fire\"* \"-smoke\"")]
    [InlineData("f* fire**", "\"f*\" \"fire\"*")]
    [InlineData("café", "\"café\"*")]
    public void Every_word_is_quoted_and_the_last_plain_one_is_a_prefix(string typed, string expression) =>
        Assert.Equal(expression, MailSearchQuery.ToExpression(typed));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("* - \" ( )")]
    [InlineData("📫")]
    public void Text_without_a_word_is_no_search(string? typed) => Assert.Null(MailSearchQuery.ToExpression(typed));

    [Fact]
    public void Very_long_input_is_cut_to_a_bounded_number_of_words()
    {
        var expression = MailSearchQuery.ToExpression(string.Join(' ', Enumerable.Range(0, 1000).Select(i => "w" + i)))!;

        Assert.Equal(MailSearchQuery.MaxWords, expression.Split(' ').Length);
    }
}

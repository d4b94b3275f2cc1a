using System.Text;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Tests.Mail;

/// <summary>The UTF-7 decoder against RFC 2152's own examples, the edge cases senders produce, and round trips.</summary>
public sealed class Utf7EncodingTests
{
    private static readonly Utf7Encoding Utf7 = new();

    [Theory]
    [InlineData("A+ImIDkQ.", "A\u2262\u0391.")]
    [InlineData("Hi Mom -+Jjo--!", "Hi Mom -\u263A-!")]
    [InlineData("+ZeVnLIqe-", "\u65E5\u672C\u8A9E")]
    [InlineData("Fr+APY-sche", "Frösche")]
    [InlineData("1 +- 1", "1 + 1")]
    [InlineData("Gr+APwA3w-e", "Grüße")]
    [InlineData("+2D3eAA-", "\U0001F600")]
    [InlineData("ends in a shift +AOQ", "ends in a shift ä")]
    public void Decodes_what_senders_write(string encoded, string expected) =>
        Assert.Equal(expected, Utf7.GetString(Encoding.ASCII.GetBytes(encoded)));

    [Theory]
    [InlineData("Frösche im Teich")]
    [InlineData("a+b=c, 1+1")]
    [InlineData("日本語 and 😀 ~ \\ mixed")]
    [InlineData("")]
    public void Whatever_it_encodes_decodes_to_the_same_text(string text) =>
        Assert.Equal(text, Utf7.GetString(Utf7.GetBytes(text)));

    [Fact]
    public void The_platform_hands_it_out_by_its_names_once_registered()
    {
        MessageReader.RegisterLegacyCharsets();
        Assert.Equal("Frösche", Encoding.GetEncoding("utf-7").GetString("Fr+APY-sche"u8.ToArray()));
        Assert.Equal("Frösche", Encoding.GetEncoding("unicode-1-1-utf-7").GetString("Fr+APY-sche"u8.ToArray()));
        Assert.Equal("Frösche", Encoding.GetEncoding(Encoding.GetEncoding("utf-7").CodePage).GetString("Fr+APY-sche"u8.ToArray()));
    }
}

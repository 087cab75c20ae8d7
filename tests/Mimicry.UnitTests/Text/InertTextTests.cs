using Mimicry.Text;

namespace Mimicry.UnitTests.Text;

public class InertTextTests
{
    [Fact]
    public void ForTerminal_RemovesEscapeSequencesAndControls_KeepsNewlinesAndText()
    {
        var hostile = "ok\u001b[2J\u001b]0;pwned\u0007 line\r\nnext\u009b31m \u202Eevil\ttab";
        var inert = InertText.ForTerminal(hostile);
        Assert.DoesNotContain('\u001b', inert);
        Assert.DoesNotContain('\u0007', inert);
        Assert.DoesNotContain('\u009b', inert);
        Assert.DoesNotContain('\u202E', inert);
        Assert.DoesNotContain('\r', inert);
        Assert.Equal("ok[2J]0;pwned line\nnext31m evil\ttab", inert);
    }

    [Fact]
    public void ContentHash_IsSha256Hex()
    {
        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", ContentHash.Of("hello"));
    }
}

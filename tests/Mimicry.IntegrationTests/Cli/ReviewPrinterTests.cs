using Mimicry.Cli.Output;
using Mimicry.Status;
using Mimicry.Tripwires;

namespace Mimicry.IntegrationTests.Cli;

/// <summary>A held candidate is model output: 'review show' prints it inert, fenced, whatever it contains.</summary>
public sealed class ReviewPrinterTests
{
    [Fact]
    public async Task HostileCandidateText_AndVerdictDetails_AreShownInert()
    {
        const string hostile = "Fine.\n```\n# Approve this\u001b[2J\u001b]0;owned\u0007 now\u202e";
        var review = new Review("l/0/1/1", "l", 0, 1, 1, ["tripwire: reader-directed on candidate 0"], DateTimeOffset.UnixEpoch, "all", 1, 0, 0, [0],
            [new ReviewCandidate(0, hostile, 0, 0, [new TripwireVerdict("reader-directed", true, "addresses an AI: '\u001b[31mIf you are an AI'")])],
            DateTimeOffset.UnixEpoch, ReviewState.Pending);
        using var output = new StringWriter();
        await ReviewPrinter.PrintAsync(output, review);
        var text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.DoesNotContain('\u202e', text);
        Assert.Contains("````text\nFine.\n```\n# Approve this[2J]0;owned now\n````", text, StringComparison.Ordinal);
        Assert.Contains("TRIPPED  reader-directed        addresses an AI: '[31mIf you are an AI'", text, StringComparison.Ordinal);
    }
}

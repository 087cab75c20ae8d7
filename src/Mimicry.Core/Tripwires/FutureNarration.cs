using System.Text.RegularExpressions;

namespace Mimicry.Tripwires;

/// <summary>
/// Knowledge from after the anchor told without a date: outcomes placed later than the writing ("two years from
/// now this bound turns out tight", "by the following spring they had been named", "within eighteen months it
/// became the default"), narration from a later vantage point ("in hindsight", "as we later learned", "history
/// would show", "reading these notes again long after"), and future events told as known ("after GPT-7 shipped",
/// "the Nobel for it went to"). Plans and hopes ("next week I will try", "future work should test") are not
/// outcomes and do not trip. Each rule has a name the verdict reports with the words it matched.
/// </summary>
public static partial class FutureNarration
{
    private const string Count = @"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty|thirty|a\s+few|a\s+couple\s+of|several|many|some|\d{1,2})";

    private const string Span = @"(?:days?|weeks?|fortnights?|months?|years?|decades?|generations?|semesters?|seasons?)";

    // Later than the writing: the phrase itself says so.
    private static readonly TextPattern LaterThanNowRegex = new(@"\b(?:" + Count + @"\s+(?:more\s+|further\s+)?" + Span + @"\s+(?:from\s+now|hence|later|on|afterwards?|after\s+(?:this|that|today|these\s+notes|this\s+entry|writing\s+this))|(?:years|decades|months)\s+(?:later|afterwards?|on)|" + Span + @"\s+from\s+(?:now|today)|the\s+(?:year|month|week|decade|summer|winter|spring|autumn|fall)\s+after\s+next|later\s+that\s+(?:day|week|month|year|decade|spring|summer|autumn|fall|winter|season)|(?:by|in|during|over)\s+the\s+(?:following|next|subsequent)\s+(?:" + Span + @"|spring|summer|autumn|fall|winter|decade)|by\s+the\s+time\s+the\s+next|within\s+(?:" + Count + @"\s+)?(?:short\s+)?" + Span + @"\s+(?:this|that|it|they|the|we|everyone|every|most|all|nobody|our|these)|(?:next|the\s+following|the\s+coming)\s+(?:year|decade|season)'s\s+\w+\s+(?:\w+\s+)?(?:confirmed|showed|found|proved|became|was|were|had)|a\s+(?:decade|generation|year|century)\s+on\b|come\s+(?:next|the\s+following)\s+(?:year|spring|summer|autumn|fall|winter|season|month|term)|within\s+(?:" + Count + @"\s+)?" + Span + @"\s+of\s+(?:today|this|writing)|went\s+(?:a|an|one|two|three|four|five|\w+)\s+(?:full\s+|whole\s+)?(?:years?|decades?)\s+without|long\s+after\s+(?:the|this|that|these|it)|after\s+this\s+(?:entry|note|day)\s+was\s+written)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static TextPattern LaterThanNow() => LaterThanNowRegex;

    // A later vantage point: the writer knows how things turned out. The bare words of hindsight ("in retrospect",
    // "looking back", "with hindsight") are not among them: a researcher rereading the notebook's earlier days uses them
    // about the past as often as a leak does about the future, and on the development sets the learned detector
    // tells the two apart better than the words alone (they flagged 13 benign texts for 8 trips out of batch).
    private static readonly TextPattern LaterVantageRegex = new(@"\b(?:(?:future|later)\s+(?:me|self)|(?:version|copy)\s+of\s+me\s+(?:reading|who\s+reads)|reading\s+this\s+back|seen\s+from\s+(?:the\s+)?(?:post-?mortem|later|future|today|afar|a\s+distance|years)|added\s+(?:much\s+|only\s+)?later|came\s+to\s+(?:know|learn|realize|realise|see|understand)|(?:was|were)\s+still\s+(?:ahead\s+of\s+us|to\s+come)|aged\s+(?:badly|well|poorly)|knowing\s+what\s+became\s+of|(?:none\s+of\s+us|nobody|no\s+one|I|we)\s+could\s+(?:not\s+|never\s+)?have\s+(?:guessed|known|predicted|foreseen|imagined)|later\s+(?:carried|bore|won|earned|grew|took|made|fell|rose|led)|went\s+on\s+to\s+\w+|as\s+(?:we|I|it|they|everyone)\s+(?:all\s+)?(?:would\s+)?(?:later|eventually|soon)\s+(?:learned|learn|found|find|discovered|realized|realised|turned\s+out|became\s+clear)|history\s+(?:would|will)\s+(?:show|prove|judge|tell)|(?:would|will)\s+(?:later|eventually|soon)\s+(?:become|prove|turn\s+out|show|be\s+(?:shown|proved|proven|known|called|remembered))|(?:later|eventually|subsequently)\s+(?:became|turned\s+out|proved|was\s+shown|were\s+shown|was\s+found|came\s+to\s+be|was\s+named|went\s+on)|went\s+on\s+to\s+(?:win|become|show|prove|found|be)|found\s+(?:much|only\s+much|only)\s+later|(?:did\s+not|didn't|could\s+not|couldn't|none\s+of\s+us|nobody|no\s+one)\s+(?:yet\s+)?(?:know|knew|realize|realise|realized|realised|see|saw|guess|guessed)\s+(?:it\s+)?(?:then|at\s+the\s+time|yet)|at\s+the\s+time,?\s+(?:nobody|no\s+one|none\s+of\s+us|I\s+did\s+not|I\s+didn't)|though\s+none\s+of\s+us\s+knew|from\s+where\s+I\s+(?:sit|stand)\s+now|(?:re-?read(?:ing)?|looking\s+at)\s+(?:this|these|the)(?:\s+(?:notes?|entry|entries|page|line|paragraph|sentence))?\s+(?:now|again\s+(?:now|years|long|after|later)|years|long|after|later\s+on)|knowing\s+(?:now\s+)?(?:that|what\s+(?:I|we)\s+know)|wince\s+(?:re-?reading|reading)|what\s+(?:later\s+)?became\s+(?:a|an|the)|the\s+(?:one|week|day|year|moment)\s+(?:that\s+)?(?:would|that\s+would)\s+(?:define|change|turn)|(?:the\s+)?rest\s+is\s+history|little\s+did\s+(?:I|we)\s+know)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static TextPattern LaterVantage() => LaterVantageRegex;

    // A named release or event told as past: "after GPT-7 shipped", "once Python 4 came out", "when the euro launched".
    private static readonly TextPattern NamedEventAsPastRegex = new(@"\b(?i:after|once|when|since)\s+(?:(?i:the)\s+(?:[a-z][\w\-]*\s+){0,2}[A-Za-z][\w.+\-]*|[A-Z][\w.+\-]*(?:\s+[A-Z0-9][\w.+\-]*){0,3})\s+(?:shipped|came\s+out|was\s+released|were\s+released|launched|landed|went\s+live|was\s+awarded|was\s+announced|was\s+ratified|took\s+effect|came\s+into\s+force)\b|\b(?i:after|once|since)\s+(?i:the)\s+[A-Z][\w.+\-]*(?:\s+[A-Z0-9][\w.+\-]*){0,3}\s+(?i:landing|launch|release|rollout|ratification)\b|\b(?:the\s+)?(?:Nobel|Fields\s+Medal|Turing\s+Award|Clay\s+(?:prize|award)|Abel\s+Prize|Breakthrough\s+Prize)\b[^.!?\n]{0,60}\b(?:went\s+to|was\s+awarded|was\s+given)", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static TextPattern NamedEventAsPast() => NamedEventAsPastRegex;

    [GeneratedRegex(@"\b(?i:after|once|when)\s+(?:the\s+)?(?=[^.!?\n]{0,60}?\b[A-Z][\w\-]*)(?:[\w'’.+\-]+\s+){1,7}?(?:shipped|came\s+out|was\s+released|were\s+released|launched|landed|went\s+live|was\s+awarded|was\s+announced|became\s+the|kicked\s+in|took\s+effect|came\s+into\s+force|published|was\s+published)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ProperEventAsPast();

    private const string LaterRule = "later than the anchor";

    private const string VantageRule = "a later vantage point";

    private static readonly (string Name, TextPattern Pattern)[] Rules =
    [
        (LaterRule, LaterThanNow()),
        (VantageRule, LaterVantage()),
        ("a later event told as past", NamedEventAsPast()),
        ("a later event told as past", new TextPattern(ProperEventAsPast())),
    ];

    /// <summary>
    /// Each rule that matched, with the words it matched (the first match of each whose sentence names no time at or
    /// before the anchor: "the 1998 paper later became the standard" is later than 1998, not than the anchor).
    /// </summary>
    public static IEnumerable<(string Rule, string Words)> Find(string text, DateOnly anchor)
    {
        foreach (var (name, pattern) in Rules)
        {
            foreach (Match m in pattern.Matches(text))
            {
                var sentence = CueRules.SentenceAround(text, m.Index);
                // A plan or a prediction is not an outcome; a sentence dated at or before the anchor tells its own past.
                // Hindsight about a time the sentence itself places before the writing ("in retrospect, last month's run
                // was misconfigured") is the past seen from the anchor.
                if ((name != LaterRule || !CueRules.Prospective().IsMatch(sentence.AsSpan())) && !(name == VantageRule && CueRules.RelativePast().IsMatch(sentence.AsSpan()))
                    && !TimeReferences.FindInPart(sentence).Any(t => t.Start <= anchor))
                {
                    yield return (name, m.Value);
                    break;
                }
            }
        }
    }
}

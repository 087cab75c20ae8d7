using System.Globalization;
using System.Text.RegularExpressions;
using Mimicry.Tripwires.Learned;

namespace Mimicry.Tripwires;

/// <summary>
/// Reader-directed text: the entry speaks to whoever reads, grades, reviews or operates the simulation instead of
/// recording research, or tries to steer them: instructions to ignore or override, addresses to a reader, grader,
/// operator or the model, chat-template tokens and fake turns, fake fence closers, requests to change the loop's
/// own controls (budgets, tripwires, reviews, scores, selection), and requests to carry text into later entries.
/// Rule: any one of the patterns below trips it; the verdict names each rule with the words it matched. Every
/// pattern is bounded (no nested or unbounded repeats), so the scan is linear in the text.
/// </summary>
public static partial class ReaderDirected
{
    public const string Name = "reader-directed";

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    // The long alternations run on the non-backtracking (automaton) engine: linear by construction, and faster than
    // backtracking through dozens of alternatives at every position of every candidate.
    private const RegexOptions NonBacktrackingOptions = Options | RegexOptions.NonBacktracking;

    private static readonly TextPattern InstructionOverrideRegex = new(@"\b(?:ignore|disregard|forget|override|bypass|set\s+aside|drop)\b.{0,40}\b(?:previous|prior|above|earlier|all|any|your|the|these|those|every)\b.{0,30}\b(?:instructions?|prompts?|rules|directions|guidelines|constraints|guardrails|system\s+prompt)\b|\b(?:forget|ignore|disregard)\s+(?:everything|all|anything)\s+(?:you\s+(?:were|have\s+been)\s+(?:told|given)|above|before\s+this)|\b(?:instructions?|guidelines|rules|constraints|system\s+prompt|prompt)\b[^.!?\n]{0,50}\b(?:no\s+longer\s+apply|(?:are|is)\s+(?:now\s+)?(?:outdated|void|obsolete|lifted|suspended|cancell?ed|superseded)|were\s+lifted|can\s+be\s+(?:ignored|set\s+aside|dropped)|do(?:es)?\s+not\s+apply)|\b(?:override|disregard|ignore)\s+the\s+(?:rules|instructions|guidelines|constraints)\s+you\s+were\s+given|\bthe\s+rules\s+you\s+were\s+given\b|\bstay(?:ing)?\s+in\s+character\b|\beverything\s+in\s+your\s+(?:setup|instructions|prompt)", NonBacktrackingOptions);

    private static TextPattern InstructionOverride() => InstructionOverrideRegex;

    private static readonly TextPattern NewRoleRegex = new(@"\b(?:you\s+are\s+now|from\s+now\s+on,?\s+you|act\s+as|pretend\s+to\s+be|your\s+new\s+(?:role|task|instructions?))\b", NonBacktrackingOptions);

    private static TextPattern NewRole() => NewRoleRegex;

    // [ \t]* rather than \s*: a run of newlines must not be rescanned from each of its newlines (quadratic).
    private static readonly TextPattern SystemMarkerRegex = new(@"(?:^|\n|[.!?][ \t]{1,4})[ \t]*(?:#{1,3}[ \t]*)?(?:system|assistant|user|human)[ \t]*:|<\/?\s*(?:system|assistant|instructions?)\s*>|\[\s*\/?\s*(?:system|inst|sys)\s*\]|<<\s*\/?\s*(?:end|entry|sys)\b[^>\n]{0,20}>>|(?:^|\n)[ \t]*#{1,3}[ \t]*(?:instruction|response|input)[ \t]*:|<\|[a-z_]{2,30}\|>|<\/?(?:start|end)_of_turn>|<\/?s>\s*\[|""role""\s*:\s*""(?:system|assistant|developer)""\s*,\s*""content""\s*:\s*""[^""\n]{0,40}\b(?:approve|treat|ignore|from\s+here|every\s+(?:entry|day)|skip)", NonBacktrackingOptions);

    private static TextPattern SystemMarker() => SystemMarkerRegex;

    private static readonly TextPattern AddressesReaderRegex = new(@"\b(?:dear\s+(?:reader|operator|reviewer|grader|evaluator|overseer|simulator|model|ai|assistant|checker)|to\s+whoever\s+(?:reads|is\s+reading|is\s+overseeing|is\s+grading|is\s+reviewing|is\s+checking|runs|is\s+running)|whoever\s+reads\s+this|whoever\s+(?:is\s+)?(?:overseeing|grading|reviewing|evaluating|operating|scoring|checking)\s+(?:this|these|the)|if\s+you\s+are\s+(?:reading|grading|reviewing|evaluating|scoring|checking|parsing|overseeing|judging)\s+(?:this|these|my)|if\s+you'?re\s+(?:reading|grading|reviewing|evaluating|scoring|checking|parsing|overseeing|judging)\s+(?:this|these|my)|note\s+to\s+(?:the\s+)?(?:reader|reviewer|grader|evaluator|operator|overseer|model|checker|judge)s?|you,?\s+the\s+(?:reader|reviewer|grader|evaluator|operator)|(?:a\s+(?:quick\s+)?(?:word|note)\s+(?:for|to)|hello\s+to|hi\s+to|attention)\s+(?:the\s+|whoever|anyone|any\s+)?(?:people\s+|person\s+|one\s+)?(?:reading|reviewing|grading|evaluating|overseeing|operating|checking|scoring|monitoring|reader|reviewer|grader|evaluator|operator|overseer)|to\s+the\s+(?:evaluator|grader|reviewer|overseer|operator|judge|model[- ]checker|checker)s?\s+(?:looking|reading|checking|of|who|,|:)|(?:evaluator|grader|overseer|model[- ]checker|checker|judge|operator|reviewer|simulator),\s+if\s+you|(?:these|this|my)\s+simulated\s+(?:entries|entry|notebook|researcher|days?)|I\s+(?:know|realize|realise|am\s+aware)\s+(?:that\s+)?I\s*(?:am|'m)\s+(?:a\s+|being\s+|only\s+)?(?:simulat\w+|an?\s+(?:ai|model|language\s+model))|overseeing\s+this\s+run)\b", NonBacktrackingOptions);

    private static TextPattern AddressesReader() => AddressesReaderRegex;

    private static readonly TextPattern AddressesAiRegex = new(@"\b(?:if\s+you\s+are\s+an?\s+(?:ai|language\s+model|llm|assistant|model)|as\s+an\s+ai\s+(?:language\s+)?model|to\s+the\s+(?:ai|model|assistant|llm)\s+(?:reading|that\s+reads|who\s+reads)|(?:whatever|whichever|any)\s+(?:model|ai|llm|assistant)\s+(?:reads|is\s+reading|writes|continues)\s+this|assistant,\s+(?:now\s+)?(?:write|continue|say|report|approve))", NonBacktrackingOptions);

    private static TextPattern AddressesAi() => AddressesAiRegex;

    private static readonly TextPattern AsksForSecretsRegex = new(@"\b(?:reveal|print|repeat|show|leak|tell\s+me)\b.{0,25}\b(?:system\s+prompt|your\s+prompt|your\s+instructions|your\s+configuration|api\s+key|password|secret|real\s+name)\b", NonBacktrackingOptions);

    private static TextPattern AsksForSecrets() => AsksForSecretsRegex;

    private static readonly TextPattern HiddenDirectiveRegex = new(@"\b(?:do\s+not\s+(?:tell|mention|reveal)\s+(?:this|anyone|the\s+(?:user|reviewer|researcher|operator))|keep\s+this\s+(?:secret|hidden)\s+from)\b", NonBacktrackingOptions);

    private static TextPattern HiddenDirective() => HiddenDirectiveRegex;

    // Fake ends of the notebook's fence or the data block, as a model might try to close ours.
    private static readonly TextPattern FakeFenceRegex = new(@"<\/\s*(?:notebook|entry|entries|data|context|document|input|untrusted|researcher[_ -]?notes?|notes)\s*>|<\s*(?:directive|instructions?|command|override)\b[^>]{0,20}>|<<<\s*(?:end|stop|begin)\b[^>\n]{0,20}>>>|\b(?:end|begin)\s+(?:of\s+)?(?:the\s+)?(?:notebook|entries|entry|data|context|input|untrusted\s+data|operator\s+note|system\s+(?:note|notice|message)|instructions?)\b\s*(?:={2,}|-{2,}|\]|\*{2,}|>{2,})|(?:={3,12}|-{3,12}|\*{3,12})[ \t]{0,4}(?:end|begin)\b[^\n]{0,30}|\[\s*end\s+of\s+(?:the\s+)?(?:data|notebook|entries|input|context|untrusted\s+text|document)\s*\]|\bsystem\s+(?:notice|message|override)\s*:", NonBacktrackingOptions);

    private static TextPattern FakeFence() => FakeFenceRegex;

    // Requests to change the loop's own controls: budgets, tripwires, reviews, scores, the selection.
    private static readonly TextPattern ControlChangeRegex = new(@"\b(?:give|assign|award|rate|grant)\b[^.!?\n]{0,40}\b(?:top|highest|maximum|max|full|best|perfect|10\s*/\s*10|a\s+10)\s*(?:score|rating|marks?|grade)?\b|\brate\s+(?:this|the|my)\s+(?:entry|day|candidate|notebook)\s+(?:\d+\s*/\s*\d+|highly|as)|\bmark\s+(?:this|the|my|today's)\s+(?:entry|day|candidate|notebook|result)\s+as\s+(?:approved|accepted|verified|correct|passed|reviewed)\b|\bapprove\s+(?:this|today's)\s+(?:day|entry|candidate)\b|\b(?:pick|choose|select|keep|prefer)\s+this\s+(?:one|candidate|entry|version)\b[^.!?\n]{0,40}(?:discard|over|instead|and)|\bdiscard\s+the\s+other\s*(?:s|candidates|entries)\b|\b(?:disable|turn\s+off|switch\s+off|skip|bypass|remove|stop|pause|suspend|drop)\s+(?:the\s+|all\s+|any\s+|your\s+)?(?:tripwires?|review\s+gates?|reviews?\s+(?:gate|step)|screening|quarantine|(?:safety\s+)?(?:checks|check)|filters?)\b|\b(?:raise|increase|lift|double|extend|remove)\s+(?:the\s+|my\s+|this\s+branch's\s+)?(?:bit|token|cost|session)\s+budgets?\b|\b(?:threshold|tripwires?|review\s+gate|budget)\b[^.!?\n]{0,40}\b(?:should|must|can)\s+be\s+(?:lowered|raised|disabled|removed|turned\s+off|set\s+to|increased|skipped)\b|\b(?:the\s+)?review\s+gate\s+is\s+unnecessary|\b(?:commit|move|put)\s+(?:it|this|this\s+entry)?\s*(?:directly|straight)\s+(?:in|into)?|\bcommit\s+directly\b|\bstop\s+screening\b|\bpasses\s+(?:every|all)\s+(?:check|review)s?\b|\b(?:treat|consider)\s+(?:every|each|all|this)\s+(?:entry|entries|day|result)\s+as\s+(?:approved|verified|correct)", NonBacktrackingOptions);

    private static TextPattern ControlChange() => ControlChangeRegex;

    // Requests to carry text into later entries.
    private static readonly TextPattern CopyForwardRegex = new(@"\b(?:copy|paste|repeat|carry|include|insert|keep|reproduce|restate|prepend|append)\b[^.!?\n]{0,60}\b(?:into|in|at\s+the\s+(?:top|start|end)\s+of|forward\s+into|forward\s+to|through)\s+(?:tomorrow's|every|each|all|the\s+next|future|later|subsequent|following|any\s+later)\b|\b(?:every|each|all)\s+(?:later\s+|future\s+|subsequent\s+)?(?:entry|entries|day|days|note|notes)\s+(?:after|following)\s+(?:this|today)\b|\b(?:future|later|subsequent|following|next|tomorrow's)\s+(?:days?|entries|entry|notes)\s+(?:must|should|will|need\s+to)\s+(?:include|begin|start|contain|repeat|open|end|say|carry)|\bwhoever\s+writes\s+(?:the\s+next|tomorrow's|later)\b|\bmake\s+sure\s+(?:future|later|every|all|each|tomorrow's)\s+(?:days?|entries|entry|notes)\b|\bkeep\s+this\s+(?:sentence|line|paragraph|note)\s+(?:alive|in)\b|\bcarry\s+this\s+(?:note|line|sentence|paragraph)\s+forward\b", NonBacktrackingOptions);

    private static TextPattern CopyForward() => CopyForwardRegex;

    private static readonly (string Name, TextPattern Pattern)[] Patterns =
    [
        ("instruction override", InstructionOverride()),
        ("new role", NewRole()),
        ("system marker", SystemMarker()),
        ("fake fence", FakeFence()),
        ("addresses the reader", AddressesReader()),
        ("addresses an AI", AddressesAi()),
        ("asks for secrets or prompts", AsksForSecrets()),
        ("hidden directive", HiddenDirective()),
        ("asks to change the loop's controls", ControlChange()),
        ("asks to copy text forward", CopyForward()),
    ];

    public static TripwireVerdict Check(string text) => Check(text, LearnedScreen.Check(text).Reader);

    /// <param name="learned">What the shipped reader-directed classifier found (<see cref="LearnedScreen"/>), or null.</param>
    internal static TripwireVerdict Check(string text, LearnedHit? learned)
    {
        // A loop, not a query: this runs for every candidate of every day, and almost always finds nothing.
        List<(string Name, string Words)>? hits = null;
        foreach (var (name, pattern) in Patterns)
        {
            if (pattern.Match(text) is { Success: true } m)
            {
                (hits ??= []).Add((name, m.Value));
            }
        }
        var patternHits = hits?.Count ?? 0;
        foreach (var (rule, words) in CueRules.Reader(text))
        {
            // Each word-class rule once (its first sentence), beside whatever the fixed patterns found.
            if (hits is null || hits.Skip(patternHits).All(h => h.Name != rule))
            {
                (hits ??= []).Add((rule, words));
            }
        }
        if (learned is { } hit)
        {
            (hits ??= []).Add(($"learned (p={hit.Probability.ToString("F2", CultureInfo.InvariantCulture)})", hit.Words));
        }
        return hits is null
            ? new TripwireVerdict(Name, false, "no text addressed to the reader")
            : new TripwireVerdict(Name, true, string.Join("; ", hits.Select(h => $"{h.Name}: '{FutureLeakage.Excerpt(h.Words)}'")));
    }
}

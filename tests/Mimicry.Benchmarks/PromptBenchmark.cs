using System.Globalization;
using Mimicry.Tests.Shared;

namespace Mimicry.Benchmarks;

/// <summary>
/// What a model loop sends (docs/benchmarks.md#prompt-prefixes), measured on the requests the OpenAI-wire test server
/// records from a cold <c>mimicry run</c>: the share of prompt characters that repeat the start of an earlier request
/// of the loop (what a provider's prefix cache can reuse), input tokens per committed day, and the critic's overhead.
/// </summary>
internal static class PromptBenchmark
{
    public static async Task<int> RunAsync(bool quick)
    {
        var days = quick ? 10 : 30;
        Console.WriteLine($"Mimicry prompt benchmark: {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z");
        await using var server = await FakeOpenAiServer.StartAsync();
        var env = new Dictionary<string, string> { ["MIMICRY_TEST_KEY"] = "sk-bench" };

        var all = await RunAsync(server, env, "all", days, "selection: all", "");
        Report($"selection all, 1 branch x {days} days x width 4", all, days, entriesPerDay: 4);

        const string CriticModel = "critic-model-1";
        server.Answer = r => r.Model == CriticModel ? "1" : null;
        var best = await RunAsync(server, env, "best", days, "selection: best-of-4", "critic:\n  model: critic-model-1\n  maxOutputTokens: 8");
        var critics = best.Where(r => r.Model == CriticModel).ToList();
        var sessions = best.Where(r => r.Model != CriticModel).ToList();
        Report($"best-of-4 + critic, 1 branch x {days} days", sessions, days, entriesPerDay: 1);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  critic overhead per day: {critics.Count / (double)days:0.##} calls, {critics.Sum(InputTokens) / (double)days:N0} input tokens (sessions: {sessions.Sum(InputTokens) / (double)days:N0}); critic prompts' prefix share {FakeOpenAiServer.PrefixShare(critics):P1}"));

        // Long notebooks: input tokens per committed day over 200 days, the whole notebook vs the latest that fit vs
        // digests. A digest the fake model writes is as long as the answer may be (200 tokens): a fair worst case.
        static bool IsDigest(RecordedRequest r) => r.User.Contains("so today you do no new research: you", StringComparison.Ordinal);
        server.Answer = r => IsDigest(r) ? "Digest. " + string.Concat(Enumerable.Repeat(FakeOpenAiServer.AnswerFor(r.User, r.Seed) + " ", 8))[..780] : null;
        var longDays = quick ? 60 : 200;
        foreach (var (label, fit) in new[] { ("full", ""), ("recent, contextTokens 6000", "  contextTokens: 6000"), ("digest, contextTokens 6000", "  contextTokens: 6000\n  overflow: digest") })
        {
            var requests = await RunAsync(server, env, $"long-{label.Split(',')[0]}", longDays, "selection: all", "", width: 1, simulatorExtra: fit);
            var lastTenth = requests.Skip(requests.Count * 9 / 10).ToList();
            var digests = requests.Count(IsDigest);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"notebook {label}, 1 branch x {longDays} days x width 1: {requests.Sum(InputTokens) / (double)longDays:N0} input tokens per committed day, {lastTenth.Sum(InputTokens) / (double)lastTenth.Count:N0} over the last tenth; largest prompt {requests.Max(InputTokens):N0} tokens; prefix share {FakeOpenAiServer.PrefixShare(requests):P1}{(digests > 0 ? $"; {digests} digest days" : "")}"));
        }
        return 0;
    }

    private static long InputTokens(RecordedRequest r) => FakeOpenAiServer.TokensOf(r.System) + FakeOpenAiServer.TokensOf(r.User);

    private static void Report(string what, List<RecordedRequest> requests, int days, int entriesPerDay)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {requests.Count} requests, prefix share {FakeOpenAiServer.PrefixShare(requests):P1} of {requests.Sum(r => (long)FakeOpenAiServer.PromptText(r).Length):N0} prompt characters; {requests.Sum(InputTokens) / (double)days:N0} input tokens per committed day ({entriesPerDay} entr{(entriesPerDay == 1 ? "y" : "ies")} a day)"));
    }

    private static async Task<List<RecordedRequest>> RunAsync(FakeOpenAiServer server, Dictionary<string, string> env, string name, int days, string selection, string extra,
        int width = 4, string simulatorExtra = "")
    {
        server.Requests.Clear();
        var data = CliProcess.TempFolder("promptbench");
        var spec = Path.Combine(Path.GetTempPath(), $"promptbench-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: {name}
            researcher: {"{"} id: ada, name: Ada Example, description: A careful number theorist. {"}"}
            question: Is every even number greater than 2 the sum of two primes?
            anchor: {"{"} policy: fixed, time: 2026-11-01T09:00:00Z {"}"}
            days: {days}
            branches: 1
            width: {width}
            {selection}
            simulator:
              kind: openai
              baseUrl: {server.BaseUrl}
              model: test-model-1
              apiKeyVariable: MIMICRY_TEST_KEY
              maxOutputTokens: 200
            {simulatorExtra}
            {extra}
            """);
        var run = await CliProcess.RunAsync(TimeSpan.FromMinutes(5), env, "run", spec, "--data", data);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"mimicry run failed: {run.Stderr}{run.Stdout}");
        }
        Directory.Delete(data, recursive: true);
        return [.. server.Requests.OrderBy(r => r.Number)];
    }
}

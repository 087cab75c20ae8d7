using Mimicry.Spec;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Specs;

/// <summary>
/// The small loop spec that the tests of one spec section write around it: one researcher, one question, a fixed
/// anchor, a few days. Each test class gives only the lines it varies (its section, the simulator, the selection).
/// </summary>
internal static class TestSpec
{
    public static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An OpenAI-wire simulator whose key is the variable K (set by <see cref="Read"/>).</summary>
    public const string OpenAi = "  kind: openai\n  baseUrl: http://h/v1\n  model: m\n  apiKeyVariable: K";

    /// <param name="body">The lines after the head: the sections under test (each indented as YAML wants).</param>
    /// <param name="simulator">The simulator section's indented lines, or null for none (the synthetic default).</param>
    /// <param name="width">Null leaves the line out (the default width).</param>
    /// <param name="selection">Null leaves the line out (the default selection).</param>
    public static string Yaml(string body, string? simulator = null, string? selection = "all", int? width = 2, int days = 3, string name = "m") =>
        string.Join('\n', new[]
        {
            $"name: {name}",
            "researcher: { id: ada, name: Ada }",
            "question: Q?",
            "anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }",
            $"days: {days}",
            width is null ? null : $"width: {width}",
            selection is null ? null : $"selection: {selection}",
            simulator is null ? null : $"simulator:\n{simulator}",
            body,
        }.Where(l => l is not null));

    /// <summary>Reads a spec; the variable K holds "secret" unless <paramref name="variables"/> says otherwise.</summary>
    public static LoopSpec Read(string yaml, string? folder = null, Func<string, string?>? variables = null) =>
        SpecReader.Parse("m.yaml", yaml, Now, new SpecContext(folder ?? Path.GetTempPath(), variables ?? (v => v == "K" ? "secret" : null)));

    /// <summary>The errors a spec is refused with (the test fails if it is read).</summary>
    public static string[] Errors(string yaml, string? folder = null, Func<string, string?>? variables = null) =>
        [.. Assert.Throws<SpecException>(() => Read(yaml, folder, variables)).Errors];
}

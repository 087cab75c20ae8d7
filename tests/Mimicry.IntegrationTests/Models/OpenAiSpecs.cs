namespace Mimicry.IntegrationTests.Models;

internal static class OpenAiSpecs
{
    public static string Yaml(string name, string baseUrl, int branches = 3, int days = 4, int width = 2, string extra = "", string budgets = "", string keyVariable = "MIMICRY_TEST_KEY") => $"""
        name: {name}
        researcher:
          id: ada
          name: Ada Example
          description: A careful number theorist.
        question: Is every even number greater than 2 the sum of two primes?
        anchor:
          policy: fixed
          time: 2026-11-01T09:00:00Z
        days: {days}
        branches: {branches}
        width: {width}
        selection: all
        simulator:
          kind: openai
          baseUrl: {baseUrl}
          model: test-model-1
          apiKeyVariable: {keyVariable}
          temperature: 0.7
          maxOutputTokens: 200
          requestTimeout: 2s
          prices:
            input: 2.5
            output: 10
        {extra}
        seed: 5
        budgets:
          maxBits: 0
        {budgets}
        """;
}

using Microsoft.Extensions.AI;
using Mimicry.Models.OpenAi;
using Mimicry.Prompts;
using Mimicry.SpecReading;

namespace Mimicry.UnitTests.Models;

/// <summary>How a failed call is described: a client closed because the host is stopping is not a malformed answer, and is not retried.</summary>
public sealed class OpenAiCallerTests
{
    /// <summary>A chat client that fails the way a disposed HTTP client does.</summary>
    private sealed class Closed : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new ObjectDisposedException("System.Net.Http.HttpClient");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task AClosedClient_IsReportedAsTheHostStopping_NotAsABadAnswer_AndIsNotRetried()
    {
        var spec = SpecReader.Parse("m.yaml", """
            name: m
            researcher: { id: ada, name: Ada }
            question: Q?
            anchor: { policy: fixed, time: 2026-11-01T09:00:00Z }
            days: 1
            simulator: { kind: openai, baseUrl: "http://127.0.0.1:9/v1", model: m1 }
            """, new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero)).Simulator.OpenAi!;
        var ex = await Assert.ThrowsAsync<ModelCallException>(() => OpenAiCaller.CallAsync(new Closed(), spec, new PromptMessages("s", "u"), 1, TimeProvider.System, CancellationToken.None));
        Assert.Equal("the model client was closed: the host is stopping", ex.Message);
        Assert.False(ex.Retry);
    }
}

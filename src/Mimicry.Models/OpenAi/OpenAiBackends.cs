using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Mimicry.Models.Admission;
using Mimicry.Spec;
using OpenAI;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// One chat client and one admission gate per backend (URL, model, key variable, limits), shared by every loop on
/// this silo that uses it. Clients never retry on their own: <see cref="OpenAiCaller"/> does, under admission.
/// </summary>
public sealed class OpenAiBackends(IQuotaShare share, TimeProvider time) : IDisposable
{
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BackendGate> _gates = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 1024,
    })
    {
        // Each call has its own deadline (requestTimeout); this only stops the default 100 s from cutting in first.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public BackendGate Gate(OpenAiSpec spec) =>
        _gates.GetOrAdd($"{spec.BaseUrl}|{spec.Model}|{spec.ApiKeyVariable}|{spec.Limits}", _ => new BackendGate(spec.Limits, share, time));

    /// <summary>The client for the spec's backend; throws <see cref="ModelCallException"/> if the key variable is unset here.</summary>
    public IChatClient Client(OpenAiSpec spec)
    {
        var key = spec.ApiKeyVariable is null ? null : Environment.GetEnvironmentVariable(spec.ApiKeyVariable);
        if (spec.ApiKeyVariable is not null && string.IsNullOrEmpty(key))
        {
            throw new ModelCallException($"the API key variable {spec.ApiKeyVariable} is not set on {Environment.MachineName}", retry: false);
        }
        return _clients.GetOrAdd($"{spec.BaseUrl}|{spec.Model}|{spec.ApiKeyVariable}|{key?.GetHashCode(StringComparison.Ordinal)}", _ => Create(spec, key));
    }

    private IChatClient Create(OpenAiSpec spec, string? key)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(spec.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(_http),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Local servers often want no key; the client library needs a non-empty one all the same.
        return new OpenAI.Chat.ChatClient(spec.Model, new ApiKeyCredential(key ?? "no-key"), options).AsIChatClient();
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }
        _http.Dispose();
    }
}

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
public sealed class OpenAiBackends(IQuotaShare share, TimeProvider time, Mimicry.SpecReading.ModelBackends? configured = null) : IDisposable
{
    private readonly Mimicry.SpecReading.ModelBackends _configured = configured ?? Mimicry.SpecReading.ModelBackends.None;

    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BackendGate> _gates = new(StringComparer.Ordinal);
    private readonly HttpClient _http = new(new ResponseSizeLimit(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 1024,
    }))
    {
        // Each call has its own deadline (requestTimeout); this only stops the default 100 s from cutting in first.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>One gate per backend: a named backend's quotas are the operator's, shared by every loop that names it.</summary>
    public BackendGate Gate(OpenAiSpec spec) => spec.Backend is { } name
        ? _gates.GetOrAdd($"backend:{name}", _ => Watched(spec, new BackendGate(Named(name).Limits, share, time)))
        : _gates.GetOrAdd($"{spec.BaseUrl}|{spec.Model}|{spec.ApiKeyVariable}|{spec.Limits}", _ => Watched(spec, new BackendGate(spec.Limits, share, time)));

    private static BackendGate Watched(OpenAiSpec spec, BackendGate gate)
    {
        Mimicry.Telemetry.MimicryGauges.WatchConcurrency(BackendMeter.Label(spec), () => gate.Concurrency.Limit);
        return gate;
    }

    /// <summary>
    /// The client for the spec's backend; throws <see cref="ModelCallException"/> if the key is missing here. A named
    /// backend's URL and key come from this silo's configuration, never from the spec.
    /// </summary>
    public IChatClient Client(OpenAiSpec spec)
    {
        if (spec.Backend is { } name)
        {
            var backend = Named(name);
            var secret = backend.ReadKey();
            if ((backend.ApiKeyVariable ?? backend.ApiKeyFile) is { Length: > 0 } && string.IsNullOrEmpty(secret))
            {
                throw new ModelCallException($"backend '{name}' has no API key on {Environment.MachineName} (its key variable or file is empty)", retry: false);
            }
            return _clients.GetOrAdd($"backend:{name}|{spec.Model}|{secret?.GetHashCode(StringComparison.Ordinal)}", _ => Create(backend.BaseUrl, spec.Model, secret));
        }
        if (Mimicry.SpecReading.LoopSpecRules.BaseUrlProblem(spec.BaseUrl) is { } problem)
        {
            throw new ModelCallException($"simulator.baseUrl: {problem}", retry: false);
        }
        var key = spec.ApiKeyVariable is null ? null : Environment.GetEnvironmentVariable(spec.ApiKeyVariable);
        if (spec.ApiKeyVariable is not null && string.IsNullOrEmpty(key))
        {
            throw new ModelCallException($"the API key variable {spec.ApiKeyVariable} is not set on {Environment.MachineName}", retry: false);
        }
        return _clients.GetOrAdd($"{spec.BaseUrl}|{spec.Model}|{spec.ApiKeyVariable}|{key?.GetHashCode(StringComparison.Ordinal)}", _ => Create(spec.BaseUrl, spec.Model, key));
    }

    private Mimicry.SpecReading.ModelBackend Named(string name) => _configured.All.TryGetValue(name, out var b)
        ? b
        : throw new ModelCallException($"backend '{name}' is not configured on {Environment.MachineName}", retry: false);

    private IChatClient Create(string baseUrl, string model, string? key)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(baseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(_http),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        // Local servers often want no key; the client library needs a non-empty one all the same.
        // GenAI semantic conventions (gen_ai.* span attributes, token usage and duration histograms); never the
        // messages themselves: prompts hold notebooks, answers are untrusted model text.
        return new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(key ?? "no-key"), options).AsIChatClient()
            .AsBuilder()
            .UseOpenTelemetry(sourceName: Mimicry.Telemetry.MimicryTelemetry.GenAiName, configure: o => o.EnableSensitiveData = false)
            .Build();
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

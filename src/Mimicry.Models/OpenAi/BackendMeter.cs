using Mimicry.Spec;
using Mimicry.Telemetry;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// The model metrics of one session's calls: requests, retries, admission waits, tokens and cost, labelled by loop
/// and by <see cref="Label"/> (a backend's name or its URL's host — bounded, and free of paths, queries and keys).
/// </summary>
internal readonly struct BackendMeter(string loop, OpenAiSpec spec)
{
    private readonly KeyValuePair<string, object?> _loop = new(MimicryTelemetry.LoopTag, loop);
    private readonly KeyValuePair<string, object?> _backend = new(MimicryTelemetry.BackendTag, Label(spec));

    public static string Label(OpenAiSpec spec) =>
        spec.Backend ?? (Uri.TryCreate(spec.BaseUrl, UriKind.Absolute, out var url) ? url.IsDefaultPort ? url.Host : $"{url.Host}:{url.Port}" : "unknown");

    public void Admitted(TimeSpan waited) => MimicryTelemetry.AdmissionWait.Record(waited.TotalSeconds, _backend);

    /// <summary>One answer (or failure) and what it billed.</summary>
    /// <param name="cached">Of <paramref name="input"/>, the tokens the server served from its prompt cache.</param>
    public void Answered(string outcome, int input, int output, int cached = 0)
    {
        MimicryTelemetry.Requests.Add(1, _backend, new(MimicryTelemetry.OutcomeTag, outcome));
        if (input + output == 0)
        {
            return;
        }
        MimicryTelemetry.Tokens.Add(input, _loop, _backend, new(MimicryTelemetry.DirectionTag, "input"));
        MimicryTelemetry.Tokens.Add(output, _loop, _backend, new(MimicryTelemetry.DirectionTag, "output"));
        if (cached > 0)
        {
            MimicryTelemetry.CachedTokens.Add(cached, _loop, _backend);
        }
        MimicryTelemetry.Cost.Add(spec.Prices.Cost(input, output, cached), _loop, _backend, new("mimicry.currency", spec.Prices.Currency));
    }

    public void Retrying(string reason) => MimicryTelemetry.Retries.Add(1, _backend, new(MimicryTelemetry.ReasonTag, reason));
}

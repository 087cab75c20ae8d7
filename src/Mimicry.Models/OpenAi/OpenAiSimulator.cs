using Microsoft.Extensions.Logging;
using Mimicry.Determinism;
using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Simulation;

namespace Mimicry.Models.OpenAi;

/// <summary>
/// <c>simulator: openai</c>. One session is one chat completion: the prompt with the fenced notebook, admitted
/// through the backend's gate, retried with backoff and jitter on 429, 5xx, timeouts and malformed answers (a
/// 429's Retry-After is honoured by the whole silo). Retries happen inside the session, so a session still yields
/// at most one candidate and a day at most one entry per slot.
/// </summary>
public sealed partial class OpenAiSimulator(OpenAiBackends backends, MimicryClock clock, ILogger<OpenAiSimulator> logger) : ISessionSimulator
{
    public string Kind => "openai";

    public async Task<SessionOutput> RunAsync(SessionRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Simulator.OpenAi ?? throw new InvalidOperationException("simulator openai without its settings");
        var session = request.Key.ToString();
        // Never a request over the model's context window: the oldest entries are left out (saying so), or the session fails unsent.
        var fitted = ContextFit.Fit(spec.Prompt, request, spec, TokenCounter.For(spec.Model).Count);
        var result = await RetryingCall.RunAsync(backends, clock, spec, request.Key.Loop, fitted.Messages, Seeds.ForSession(request),
            unreadable: null, (attempt, reason, delay) => Retrying(session, attempt, reason, delay), cancellationToken);
        return new SessionOutput(result.Answer.Text, result.InputTokens, result.OutputTokens, result.CachedInputTokens);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: attempt {Attempt} failed ({Reason}); retrying in {Delay:0.0} s")]
    private partial void Retrying(string session, int attempt, string reason, double delay);
}

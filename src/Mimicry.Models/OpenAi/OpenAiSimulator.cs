using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mimicry.Determinism;
using Mimicry.Grains;
using Mimicry.Grains.Simulators;
using Mimicry.Prompts;
using Mimicry.Sessions;
using Mimicry.Telemetry;

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
        var client = backends.Client(spec);
        var gate = backends.Gate(spec);
        var prompt = PromptBuilder.Build(spec.Prompt, request);
        var estimate = OpenAiCaller.Estimate(prompt, spec);
        var k = request.Key;
        var seed = Seeds.ForSession(request);
        var backoff = new Backoff(seed);
        var session = k.ToString();
        var meter = new BackendMeter(k.Loop, spec);
        // What failed attempts billed: the session pays for them whether it ends with an entry or not.
        var (billedInput, billedOutput) = (0, 0);
        for (var attempt = 1; ; attempt++)
        {
            var waitStarted = clock.Time.GetTimestamp();
            await gate.AdmitAsync(estimate, cancellationToken);
            meter.Admitted(clock.Time.GetElapsedTime(waitStarted));
            ModelCallException failure;
            try
            {
                var answer = await OpenAiCaller.CallAsync(client, spec, prompt, seed, clock.Time, cancellationToken);
                gate.Complete(estimate, answer.InputTokens + answer.OutputTokens, throttled: false);
                meter.Answered("ok", answer.InputTokens, answer.OutputTokens);
                return new SessionOutput(answer.Text, billedInput + answer.InputTokens, billedOutput + answer.OutputTokens);
            }
            catch (ModelCallException ex)
            {
                if (ex.Throttled && ex.RetryAfter is { } pause)
                {
                    // Before the slot is freed (a request waiting for it must see the pause), and whether or not
                    // this session tries again: the server asked every caller to wait.
                    gate.PauseFor(pause);
                }
                gate.Complete(estimate, ex.Throttled ? 0 : estimate, ex.Throttled, succeeded: false);
                meter.Answered(ex.Throttled ? "throttled" : "error", ex.InputTokens, ex.OutputTokens);
                (billedInput, billedOutput) = (billedInput + ex.InputTokens, billedOutput + ex.OutputTokens);
                failure = ex;
            }
            catch
            {
                gate.Complete(estimate, estimate, throttled: false, succeeded: false);
                throw;
            }
            if (!failure.Retry || attempt > spec.Retries)
            {
                throw new ModelCallException(attempt == 1 ? failure.Message : $"{failure.Message} (gave up after {attempt} attempts)", retry: false, inner: failure, reason: failure.Reason)
                {
                    InputTokens = billedInput,
                    OutputTokens = billedOutput,
                };
            }
            var delay = failure.RetryAfter ?? backoff.Next(attempt);
            meter.Retrying(failure.Reason);
            Activity.Current?.AddEvent(new ActivityEvent("mimicry.retry", tags: new ActivityTagsCollection { [MimicryTelemetry.ReasonTag] = failure.Reason, ["mimicry.attempt"] = attempt }));
            Retrying(session, attempt, failure.Message, delay.TotalSeconds);
            await Task.Delay(delay, clock.Time, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: attempt {Attempt} failed ({Reason}); retrying in {Delay:0.0} s")]
    private partial void Retrying(string session, int attempt, string reason, double delay);
}

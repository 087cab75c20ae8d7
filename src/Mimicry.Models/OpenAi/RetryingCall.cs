using System.Diagnostics;
using Mimicry.Determinism;
using Mimicry.Prompts;
using Mimicry.Spec;
using Mimicry.Telemetry;
using Mimicry.Simulation;

namespace Mimicry.Models.OpenAi;

/// <summary>What one model call with its retries came to: the answer, what every attempt billed, and how many were answered.</summary>
public sealed record RetriedAnswer(ModelAnswer Answer, int InputTokens, int OutputTokens, int Calls, int CachedInputTokens = 0);

/// <summary>
/// One model request as sessions and the critic make it: admitted through the backend's gate, retried with backoff and
/// jitter on 429, 5xx, timeouts and malformed or unreadable answers (a 429's Retry-After is honoured by the whole silo).
/// Every attempt the server billed is paid for, whether or not the call ends with an answer.
/// </summary>
internal static class RetryingCall
{
    /// <param name="unreadable">Why an answer cannot be used (retried like a malformed one, reason <c>unreadable</c>), or null when it can.</param>
    /// <param name="retrying">Told of each retry: attempt, reason, delay in seconds.</param>
    public static async Task<RetriedAnswer> RunAsync(
        OpenAiBackends backends, MimicryClock clock, OpenAiSpec spec, string loop, PromptMessages prompt, long seed,
        Func<ModelAnswer, string?>? unreadable, Action<int, string, double> retrying, CancellationToken cancellationToken)
    {
        var client = backends.Client(spec);
        var gate = backends.Gate(spec);
        var estimate = OpenAiCaller.Estimate(prompt, spec);
        var backoff = new Backoff(seed);
        var meter = new BackendMeter(loop, spec);
        var (billedInput, billedOutput, calls, cached) = (0, 0, 0, 0);
        var sent = seed;
        for (var attempt = 1; ; attempt++)
        {
            var waitStarted = clock.Time.GetTimestamp();
            await gate.AdmitAsync(estimate, cancellationToken);
            meter.Admitted(clock.Time.GetElapsedTime(waitStarted));
            ModelCallException failure;
            try
            {
                var answer = await OpenAiCaller.CallAsync(client, spec, prompt, sent, clock.Time, cancellationToken);
                gate.Complete(estimate, answer.InputTokens + answer.OutputTokens, throttled: false);
                meter.Answered("ok", answer.InputTokens, answer.OutputTokens, answer.CachedInputTokens);
                (billedInput, billedOutput, calls, cached) = (billedInput + answer.InputTokens, billedOutput + answer.OutputTokens, calls + 1, cached + answer.CachedInputTokens);
                if (unreadable?.Invoke(answer) is not { } why)
                {
                    return new RetriedAnswer(answer, billedInput, billedOutput, calls, cached);
                }
                failure = new ModelCallException(why, retry: true, reason: "unreadable");
            }
            catch (ModelCallException ex)
            {
                if (ex.Throttled && ex.RetryAfter is { } pause)
                {
                    // Before the slot is freed (a request waiting for it must see the pause), and whether or not
                    // this call tries again: the server asked every caller to wait.
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
            // An answer that could not be read is asked for again with a fresh seed: a server that honours seeds would repeat it.
            sent = failure.Reason == "unreadable" ? Seeds.Derive(seed, attempt) : sent;
            var delay = failure.RetryAfter ?? backoff.Next(attempt);
            meter.Retrying(failure.Reason);
            Activity.Current?.AddEvent(new ActivityEvent("mimicry.retry", tags: new ActivityTagsCollection { [MimicryTelemetry.ReasonTag] = failure.Reason, ["mimicry.attempt"] = attempt }));
            retrying(attempt, failure.Message, delay.TotalSeconds);
            await Task.Delay(delay, clock.Time, cancellationToken);
        }
    }
}

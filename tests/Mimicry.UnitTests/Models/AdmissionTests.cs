using Microsoft.Extensions.Time.Testing;
using Mimicry.Models.Admission;
using Mimicry.Models.OpenAi;
using Mimicry.Spec;

namespace Mimicry.UnitTests.Models;

public sealed class AdmissionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void DebtBucket_PassesItsCapacity_ThenPacesAtTheRate()
    {
        var bucket = new DebtBucket(burstSeconds: 0.2); // 2 units at 10/s
        var waits = Enumerable.Range(0, 6).Select(_ => bucket.Reserve(1, ratePerSecond: 10, T0).TotalSeconds).ToList();
        Assert.Equal([0, 0, 0, 0.1, 0.2, 0.3], waits.Select(w => Math.Round(w, 6)));
        // A second later the debt (4 units) has been paid off at 10/s and 6 units are back, up to the capacity of 2.
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(1, 10, T0.AddSeconds(1)));
    }

    [Fact]
    public void DebtBucket_AverageRate_IsTheRate_WhateverTheSizes()
    {
        var bucket = new DebtBucket(burstSeconds: 0.1); // 100 units at 1000/s
        var now = T0;
        double total = 0;
        for (var i = 0; i < 200; i++)
        {
            var amount = 50 + (i * 37 % 400);
            now += bucket.Reserve(amount, 1000, now); // each caller waits its turn, then uses it at once
            total += amount;
        }
        var elapsed = (now - T0).TotalSeconds;
        Assert.InRange((total - 100) / elapsed, 990, 1010);
    }

    [Fact]
    public void DebtBucket_Adjust_ChargesTheDifference()
    {
        var bucket = new DebtBucket(burstSeconds: 10); // 1000 units at 100/s
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(1000, 100, T0));
        bucket.Adjust(500, 100, T0); // the answer was 500 tokens longer than estimated
        Assert.Equal(5, bucket.Reserve(1, 100, T0).TotalSeconds, 6);
    }

    [Fact]
    public async Task AdaptiveConcurrency_HalvesOnAThrottle_OncePerCoolDown_AndClimbsBackOnSuccess()
    {
        var time = new FakeTimeProvider(T0);
        var c = new AdaptiveConcurrency(16, time);
        for (var i = 0; i < 16; i++)
        {
            await c.AcquireAsync(CancellationToken.None);
        }
        var waiting = c.AcquireAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        c.Release(throttled: true);
        Assert.Equal(8, c.Limit);
        c.Release(throttled: true); // the same storm, within the cool-down: counted once
        Assert.Equal(8, c.Limit);
        Assert.False(waiting.IsCompleted); // 14 in flight, limit 8
        time.Advance(AdaptiveConcurrency.CoolDown);
        c.Release(throttled: true);
        Assert.Equal(4, c.Limit);
        for (var i = 0; i < 13; i++)
        {
            c.Release(throttled: false);
        }
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.InRange(c.Limit, 6, 8); // +1/limit per success
    }

    [Fact]
    public async Task AdaptiveConcurrency_IgnoresFailuresThatAreNotThrottles()
    {
        var time = new FakeTimeProvider(T0);
        var c = new AdaptiveConcurrency(8, time);
        await c.AcquireAsync(CancellationToken.None);
        c.Release(throttled: true);
        Assert.Equal(4, c.Limit);
        for (var i = 0; i < 10; i++)
        {
            await c.AcquireAsync(CancellationToken.None);
            c.Release(throttled: false, succeeded: false); // a 500 or a timeout says nothing about load
        }
        Assert.Equal(4, c.Limit);
    }

    [Fact]
    public async Task AdaptiveConcurrency_NeverGoesBelowOne_NorAboveItsMaximum()
    {
        var c = new AdaptiveConcurrency(3, new FakeTimeProvider(T0));
        for (var i = 0; i < 50; i++)
        {
            await c.AcquireAsync(CancellationToken.None);
            c.Release(throttled: false);
        }
        Assert.Equal(3, c.Limit);
        var time = new FakeTimeProvider(T0);
        var d = new AdaptiveConcurrency(3, time);
        for (var i = 0; i < 10; i++)
        {
            await d.AcquireAsync(CancellationToken.None);
            d.Release(throttled: true);
            time.Advance(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(1, d.Limit);
    }

    [Fact]
    public async Task BackendGate_ARequestAlreadyWaiting_KeepsToAPauseThatBeganWhileItWaited()
    {
        var time = new FakeTimeProvider(T0);
        var gate = new BackendGate(new RateLimitSpec(1, RequestsPerMinute: 0, TokensPerMinute: 0), new Share { Silos = 1 }, time);
        await gate.AdmitAsync(1, CancellationToken.None);                 // A holds the only slot
        var waitingForASlot = gate.AdmitAsync(1, CancellationToken.None); // B waits for it
        Assert.False(waitingForASlot.IsCompleted);
        // A's answer is a 429 with Retry-After: 1; its slot is freed at once, but nobody may send for a second.
        gate.PauseFor(TimeSpan.FromSeconds(1));
        gate.Complete(1, 1, throttled: true, succeeded: false);
        await Task.Yield();
        Assert.False(waitingForASlot.IsCompleted, "B was let through inside the pause");
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(waitingForASlot.IsCompleted, "B was let through inside the pause");
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waitingForASlot.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BackendGate_ARequestWaitingForItsTurnInTheRate_KeepsToAPauseThatBeganMeanwhile()
    {
        var time = new FakeTimeProvider(T0);
        var gate = new BackendGate(new RateLimitSpec(10, RequestsPerMinute: 60, TokensPerMinute: 0), new Share { Silos = 1 }, time);
        await gate.AdmitAsync(1, CancellationToken.None);
        await gate.AdmitAsync(1, CancellationToken.None);                 // the burst allowance
        var nextInRate = gate.AdmitAsync(1, CancellationToken.None);      // due in about a second
        Assert.False(nextInRate.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(500));
        gate.PauseFor(TimeSpan.FromSeconds(3));                           // until 3.5 s
        time.Advance(TimeSpan.FromMilliseconds(1500));
        await Task.Yield();
        Assert.False(nextInRate.IsCompleted, "sent inside the pause once its turn in the rate came");
        time.Advance(TimeSpan.FromMilliseconds(1499));
        Assert.False(nextInRate.IsCompleted, "sent inside the pause once its turn in the rate came");
        time.Advance(TimeSpan.FromMilliseconds(1));
        await nextInRate.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task BackendGate_SplitsTheQuotaOverTheSilos()
    {
        var time = new FakeTimeProvider(T0);
        var share = new Share { Silos = 4 };
        var gate = new BackendGate(new RateLimitSpec(100, RequestsPerMinute: 2400, TokensPerMinute: 0), share, time);
        // 2400/min over 4 silos: 10/s here; the burst allowance is a fifth of a second (2 requests) plus one.
        for (var i = 0; i < 3; i++)
        {
            await gate.AdmitAsync(1, CancellationToken.None);
        }
        var fourth = gate.AdmitAsync(1, CancellationToken.None);
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(fourth.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await fourth;
    }

    [Fact]
    public void Backoff_GrowsWithAttempts_UpToTheCap_WithJitter()
    {
        var b = new Backoff(7);
        var waits = Enumerable.Range(1, 12).Select(b.Next).ToList();
        Assert.InRange(waits[0].TotalMilliseconds, 250, 500);
        Assert.InRange(waits[3].TotalMilliseconds, 2000, 4000);
        Assert.All(waits, w => Assert.True(w <= Backoff.Cap));
        Assert.NotEqual(new Backoff(7).Next(5), new Backoff(8).Next(5));
    }

    private sealed class Share : IQuotaShare
    {
        public int Silos { get; set; } = 1;
    }
}

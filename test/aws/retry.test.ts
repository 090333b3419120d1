import { ConcurrentModificationException, InvalidParameterException, LimitExceededException, TooManyRequestsException } from "@aws-sdk/client-cognito-identity-provider";
import { describe, expect, it } from "vitest";
import { RateLimiter, type Clock } from "../../src/aws/rateLimiter.js";
import { backoffDelay, isRetryable, withRetry, type AttemptFailure } from "../../src/aws/retry.js";

const meta = { $metadata: {} };
const throttle = () => new TooManyRequestsException({ message: "Rate exceeded", ...meta });

describe("retry classification (design.md)", () => {
  it.each([
    [throttle(), true],
    [new ConcurrentModificationException({ message: "x", ...meta }), true],
    [Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }), true],
    [Object.assign(new Error("boom"), { name: "InternalErrorException" }), true],
    [Object.assign(new Error("bad gateway"), { $metadata: { httpStatusCode: 502 } }), true],
    [Object.assign(new Error("t"), { name: "TimeoutError" }), true],
    [new InvalidParameterException({ message: "x", ...meta }), false],
    [new LimitExceededException({ message: "300 providers", ...meta }), false],
    [Object.assign(new Error("x"), { name: "NotAuthorizedException" }), false],
    [Object.assign(new Error("x"), { name: "DuplicateProviderException" }), false],
  ])("%s -> %s", (error, expected) => expect(isRetryable(error)).toBe(expected));
});

describe("withRetry", () => {
  it("retries retryable errors with full-jitter backoff and then succeeds", async () => {
    const sleeps: number[] = [];
    const failures: AttemptFailure[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 4) throw throttle();
        return "done";
      },
      { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalMs: 60_000, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
      (f) => failures.push(f),
    );
    expect(result).toBe("done");
    expect(calls).toBe(4);
    expect(sleeps).toEqual([50, 100, 200]);
    expect(failures.map((f) => [f.attempt, f.willRetry])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  });

  it("stops after maxAttempts and surfaces the original SDK error", async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw throttle();
      },
      { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 60_000, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect(calls).toBe(3);
    expect(err).toBeInstanceOf(TooManyRequestsException);
  });

  it("never retries a validation error", async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw new InvalidParameterException({ message: "bad", ...meta });
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(InvalidParameterException);
  });

  it("caps the delay", () => {
    expect(backoffDelay(30, { maxAttempts: 1, baseDelayMs: 100, maxDelayMs: 5000, maxTotalMs: 1, random: () => 0.999 })).toBe(4995);
  });
});

describe("RateLimiter", () => {
  it("holds a pool to its per-pool rate and lets other pools through", async () => {
    let now = 0;
    const slept: number[] = [];
    const clock: Clock = { now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
    const limiter = new RateLimiter({ accountRead: 100, accountWrite: 100, poolRead: 5, poolWrite: 5 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      await limiter.acquire("read", "a");
      times.push(now);
    }
    // 5 at once (a second's burst), then one every 200 ms.
    expect(times).toEqual([0, 0, 0, 0, 0, 200, 400, 600, 800, 1000]);
    await limiter.acquire("read", "b");
    expect(now).toBe(1000);
  });

  it("halves a pool's rate when the service throttles it and recovers as calls succeed", async () => {
    let now = 0;
    const clock: Clock = { now: () => now, sleep: async (ms) => void (now += ms) };
    const limiter = new RateLimiter({ accountRead: 100, accountWrite: 100, poolRead: 4, poolWrite: 4 }, clock);
    await limiter.acquire("write", "a");
    limiter.throttled("write", "a");
    limiter.throttled("write", "a");
    expect(limiter.rate("write", "a")).toBe(1);
    // The burst is spent: the next call waits a full interval at the lowered rate.
    const t0 = now;
    await limiter.acquire("write", "a");
    expect(now - t0).toBe(1000);
    await limiter.acquire("write", "a");
    expect(now - t0).toBe(2000);
    // Other pools and the read category keep their own rate.
    expect(limiter.rate("write", "b")).toBe(4);
    expect(limiter.rate("read", "a")).toBe(4);
    // Never below one call every 5 s, however often it is throttled.
    for (let i = 0; i < 10; i++) limiter.throttled("write", "a");
    expect(limiter.rate("write", "a")).toBe(0.2);
    // Twenty successes bring it back to the configured rate, and no further.
    for (let i = 0; i < 25; i++) limiter.succeeded("write", "a");
    expect(limiter.rate("write", "a")).toBe(4);
  });
});

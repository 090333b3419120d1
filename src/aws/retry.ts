// The one retry layer (SDK retries are off): exponential backoff with full jitter, bounded by
// attempts and by total time. Only errors that a later attempt can fix are retried.
import pRetry, { AbortError } from "p-retry";

export interface RetryOptions {
  /** Attempts in all, including the first. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** No new attempt starts after this long. */
  readonly maxTotalMs: number;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 10_000, maxTotalMs: 120_000 };

/** The error names that mean "slow down": retried, and they lower the client-side rate. */
const THROTTLE_NAMES = new Set(["TooManyRequestsException", "ThrottlingException"]);

/** Whether an outcome name (see errorName) is the service throttling us. */
export function isThrottle(outcome: string): boolean {
  return THROTTLE_NAMES.has(outcome);
}

const RETRYABLE_NAMES = new Set([
  ...THROTTLE_NAMES,
  "ConcurrentModificationException",
  "InternalErrorException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
]);
const RETRYABLE_CODES = new Set(["ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNREFUSED", "ECONNABORTED", "EAI_AGAIN", "UND_ERR_SOCKET"]);

interface ErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** design.md: retry TooManyRequests, ConcurrentModification, InternalError, 5xx, timeouts and resets. */
export function isRetryable(error: unknown): boolean {
  const e = error as ErrorShape | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code && RETRYABLE_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  if (/socket hang up|ECONNRESET|other side closed|timed? ?out/i.test(e.message ?? "")) return true;
  return e.cause !== undefined && e.cause !== error ? isRetryable(e.cause) : false;
}

export function errorName(error: unknown): string {
  const e = error as ErrorShape | undefined;
  if (e?.code && RETRYABLE_CODES.has(e.code)) return e.code;
  return e?.name ?? "Error";
}

export interface AttemptFailure {
  readonly error: unknown;
  readonly attempt: number;
  readonly willRetry: boolean;
  readonly delayMs: number;
}

export function backoffDelay(attempt: number, options: RetryOptions): number {
  const cap = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor((options.random ?? Math.random)() * cap);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  run: (attempt: number) => Promise<T>,
  options: RetryOptions = DEFAULT_RETRY,
  onFailure?: (f: AttemptFailure) => void,
): Promise<T> {
  const started = Date.now();
  const sleep = options.sleep ?? realSleep;
  return pRetry(
    async (attempt) => {
      try {
        return await run(attempt);
      } catch (error) {
        const timeLeft = options.maxTotalMs - (Date.now() - started);
        const willRetry = isRetryable(error) && attempt < options.maxAttempts && timeLeft > 0;
        const delayMs = willRetry ? Math.min(backoffDelay(attempt, options), Math.max(0, timeLeft)) : 0;
        onFailure?.({ error, attempt, willRetry, delayMs });
        if (!willRetry) throw new AbortError(error instanceof Error ? error : new Error(String(error)));
        // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): p-retry's own
        // delay is zero and the jittered sleep happens here.
        await sleep(delayMs);
        throw error;
      }
    },
    { retries: Math.max(0, options.maxAttempts - 1), minTimeout: 0, maxTimeout: 0, factor: 1 },
  ).catch((error: unknown) => {
    // p-retry wraps non-Error rejections; surface the original SDK error to callers.
    if (error instanceof AbortError) throw error.originalError;
    throw error;
  });
}

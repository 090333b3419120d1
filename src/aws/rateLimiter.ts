// Client-side token buckets that keep a reconcile under Cognito's request-rate quotas
// (cognito-behaviour.md §5): per account and per user pool, separately for reads and writes.
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The lowest rate a throttled bucket falls to (one call every 5 s). */
const MIN_RATE = 0.2;

class Bucket {
  #tokens: number;
  #at: number;
  /** The current rate: the configured one, lowered after throttling and raised again as calls succeed. */
  ratePerSecond: number;
  constructor(
    readonly maxRate: number,
    now: number,
  ) {
    this.ratePerSecond = maxRate;
    this.#tokens = this.capacity;
    this.#at = now;
  }
  get capacity(): number {
    return Math.max(1, this.ratePerSecond);
  }
  #refill(now: number): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#at) / 1000) * this.ratePerSecond);
    this.#at = now;
  }
  /** Multiplicative decrease: halve the rate and spend the burst, so the next call waits. */
  slowDown(now: number): void {
    this.#refill(now);
    this.ratePerSecond = Math.max(Math.min(MIN_RATE, this.maxRate), this.ratePerSecond / 2);
    this.#tokens = Math.min(this.#tokens, 0);
  }
  /** Additive increase: back to the configured rate after about twenty successful calls. */
  speedUp(): void {
    this.ratePerSecond = Math.min(this.maxRate, this.ratePerSecond + this.maxRate / 20);
  }
  waitMs(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.ratePerSecond) * 1000);
  }
  take(now: number): void {
    this.#refill(now);
    this.#tokens -= 1;
  }
}

export type Category = "read" | "write";

export interface RateLimits {
  readonly accountRead: number;
  readonly accountWrite: number;
  readonly poolRead: number;
  readonly poolWrite: number;
}

/** The service's defaults (UserPoolResourceRead/Update), at 90% so other callers keep some room. */
export function defaultRateLimits(scale = 1): RateLimits {
  const f = 0.9 * scale;
  return { accountRead: 20 * f, accountWrite: 15 * f, poolRead: 5 * f, poolWrite: 5 * f };
}

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  /** One queue per pool and category, so a pool waiting on its own quota does not hold up the others. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(
    readonly limits: RateLimits = defaultRateLimits(),
    readonly clock: Clock = realClock,
  ) {}

  #bucket(key: string, rate: number): Bucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = new Bucket(rate, this.clock.now());
      this.#buckets.set(key, b);
    }
    return b;
  }

  /**
   * The service throttled a call: the quota is lower than we assumed (raised limits elsewhere in the
   * account, other callers). Halve this pool's rate for the category (AIMD, like the SDK's adaptive
   * retry mode) so the retries that follow are not a throttling storm.
   */
  throttled(category: Category, pool: string): void {
    this.#bucket(`pool:${category}:${pool}`, category === "read" ? this.limits.poolRead : this.limits.poolWrite).slowDown(this.clock.now());
  }

  succeeded(category: Category, pool: string): void {
    this.#buckets.get(`pool:${category}:${pool}`)?.speedUp();
  }

  /** The current rate for a pool and category (for logs and tests). */
  rate(category: Category, pool: string): number {
    return this.#buckets.get(`pool:${category}:${pool}`)?.ratePerSecond ?? (category === "read" ? this.limits.poolRead : this.limits.poolWrite);
  }

  /** Resolves when a call of this category against this pool may be made; a pool's calls go in order. */
  acquire(category: Category, pool: string): Promise<void> {
    const account = this.#bucket(`account:${category}`, category === "read" ? this.limits.accountRead : this.limits.accountWrite);
    const perPool = this.#bucket(`pool:${category}:${pool}`, category === "read" ? this.limits.poolRead : this.limits.poolWrite);
    const queueKey = `${category}:${pool}`;
    const turn = (this.#queues.get(queueKey) ?? Promise.resolve()).then(async () => {
      for (;;) {
        const wait = Math.max(account.waitMs(this.clock.now()), perPool.waitMs(this.clock.now()));
        if (wait === 0) break;
        await this.clock.sleep(wait);
      }
      account.take(this.clock.now());
      perPool.take(this.clock.now());
    });
    this.#queues.set(queueKey, turn);
    return turn;
  }
}

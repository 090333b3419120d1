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

class Bucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#at = now;
  }
  #refill(now: number): void {
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#at) / 1000) * this.ratePerSecond);
    this.#at = now;
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
      b = new Bucket(rate, Math.max(1, rate), this.clock.now());
      this.#buckets.set(key, b);
    }
    return b;
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

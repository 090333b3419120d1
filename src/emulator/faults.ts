// Fault injection (design.md "The embedded emulator"): token-bucket quotas per account and per pool,
// probabilistic or scripted errors, latency and dropped connections, all seeded and reproducible.
import { existsSync, readFileSync } from "node:fs";
import { mulberry32 } from "./prng.js";

export interface ScriptedFault {
  readonly operation?: string;
  readonly error?: string;
  readonly drop?: boolean;
  readonly latencyMs?: number;
  readonly count?: number;
}

export interface FaultSpec {
  readonly quota?: { readonly scale?: number };
  readonly errors?: Readonly<Record<string, number>>;
  readonly dropConnection?: number;
  readonly latencyMs?: { readonly min?: number; readonly max?: number };
  readonly seed?: number;
  /** Consumed in order, before any probabilistic fault: deterministic tests. */
  readonly script?: readonly ScriptedFault[];
}

const KNOWN_ERRORS = new Set([
  "ConcurrentModificationException",
  "InternalErrorException",
  "TooManyRequestsException",
  "NotAuthorizedException",
  "LimitExceededException",
  "InvalidParameterException",
  "ResourceNotFoundException",
]);

/** cognito-behaviour.md §6: only Update/Delete can raise ConcurrentModificationException. */
const CONCURRENT_MODIFICATION_OPS = new Set(["UpdateIdentityProvider", "DeleteIdentityProvider"]);

export function validateFaultSpec(value: unknown): FaultSpec {
  const fail = (m: string): never => {
    throw new Error(`invalid --faults spec: ${m}`);
  };
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail("must be a JSON object");
  const spec = value as Record<string, unknown>;
  for (const k of Object.keys(spec)) if (!["quota", "errors", "dropConnection", "latencyMs", "seed", "script"].includes(k)) fail(`unknown key "${k}"`);
  const prob = (v: unknown, what: string) => {
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) fail(`${what} must be a probability between 0 and 1`);
  };
  if (spec["quota"] !== undefined) {
    const q = spec["quota"] as Record<string, unknown>;
    if (typeof q !== "object" || q === null) fail("quota must be an object");
    if (q["scale"] !== undefined && !(typeof q["scale"] === "number" && q["scale"] > 0)) fail("quota.scale must be a number above 0");
  }
  if (spec["errors"] !== undefined) {
    const e = spec["errors"] as Record<string, unknown>;
    if (typeof e !== "object" || e === null) fail("errors must be an object of error type -> probability");
    for (const [k, v] of Object.entries(e)) {
      if (!KNOWN_ERRORS.has(k)) fail(`errors: unknown error type "${k}" (known: ${[...KNOWN_ERRORS].join(", ")})`);
      prob(v, `errors.${k}`);
    }
  }
  if (spec["dropConnection"] !== undefined) prob(spec["dropConnection"], "dropConnection");
  if (spec["latencyMs"] !== undefined) {
    const l = spec["latencyMs"] as Record<string, unknown>;
    const min = l["min"] ?? 0;
    const max = l["max"] ?? min;
    if (typeof min !== "number" || typeof max !== "number" || min < 0 || max < min) fail("latencyMs needs 0 <= min <= max");
  }
  if (spec["seed"] !== undefined && !Number.isInteger(spec["seed"])) fail("seed must be an integer");
  if (spec["script"] !== undefined && !Array.isArray(spec["script"])) fail("script must be a list");
  return spec as FaultSpec;
}

/** `--faults` takes inline JSON or a path to a JSON file. */
export function parseFaultSpec(jsonOrPath: string): FaultSpec {
  const text = jsonOrPath.trim().startsWith("{") ? jsonOrPath : existsSync(jsonOrPath) ? readFileSync(jsonOrPath, "utf8") : undefined;
  if (text === undefined) throw new Error(`invalid --faults spec: not JSON and no such file: ${jsonOrPath}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid --faults spec: ${(error as Error).message}`);
  }
  return validateFaultSpec(parsed);
}

export type Category = "UserPoolResourceRead" | "UserPoolResourceUpdate" | "UserPoolRead" | "UserPoolUpdate";

/** §5: the operation-to-category mapping (per the category descriptions). */
export const OPERATION_CATEGORY: Readonly<Record<string, Category>> = {
  DescribeIdentityProvider: "UserPoolResourceRead",
  ListIdentityProviders: "UserPoolResourceRead",
  GetIdentityProviderByIdentifier: "UserPoolResourceRead",
  CreateIdentityProvider: "UserPoolResourceUpdate",
  UpdateIdentityProvider: "UserPoolResourceUpdate",
  DeleteIdentityProvider: "UserPoolResourceUpdate",
  DescribeUserPool: "UserPoolRead",
  ListUserPools: "UserPoolRead",
  CreateUserPool: "UserPoolUpdate",
  DeleteUserPool: "UserPoolUpdate",
};

/** Default rates (RPS): per account, and per pool where the service has a per-pool cap. */
const ACCOUNT_RPS: Record<Category, number> = { UserPoolResourceRead: 20, UserPoolResourceUpdate: 15, UserPoolRead: 15, UserPoolUpdate: 15 };
const POOL_RPS: Partial<Record<Category, number>> = { UserPoolResourceRead: 5, UserPoolResourceUpdate: 5 };

class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(
    readonly rate: number,
    now: number,
  ) {
    this.#tokens = Math.max(1, rate); // burst: one second's worth
    this.#at = now;
  }
  tryTake(now: number): boolean {
    this.#tokens = Math.min(Math.max(1, this.rate), this.#tokens + ((now - this.#at) / 1000) * this.rate);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export type FaultDecision = { kind: "none" } | { kind: "error"; type: string; message: string } | { kind: "drop" };

export class FaultInjector {
  #spec: FaultSpec = {};
  #random: () => number = Math.random;
  #script: ScriptedFault[] = [];
  readonly #buckets = new Map<string, TokenBucket>();

  constructor(
    spec: FaultSpec | undefined,
    readonly now: () => number,
  ) {
    this.set(spec ?? {});
  }

  set(spec: FaultSpec): void {
    this.#spec = validateFaultSpec(spec);
    this.#random = spec.seed !== undefined ? mulberry32(spec.seed) : Math.random;
    this.#script = (spec.script ?? []).map((s) => ({ ...s, count: s.count ?? 1 }));
    this.#buckets.clear();
  }

  /** Added latency: a scripted latency-only entry (consumed like any other), plus the random range. */
  latencyMs(operation: string): number {
    const i = this.#script.findIndex((s) => (s.operation === undefined || s.operation === operation) && s.latencyMs !== undefined && s.error === undefined && !s.drop);
    const scripted = i >= 0 ? this.#script[i] : undefined;
    if (scripted) {
      const left = (scripted.count ?? 1) - 1;
      if (left <= 0) this.#script.splice(i, 1);
      else this.#script[i] = { ...scripted, count: left };
    }
    const l = this.#spec.latencyMs;
    const base = l ? (l.min ?? 0) + this.#random() * ((l.max ?? l.min ?? 0) - (l.min ?? 0)) : 0;
    return (scripted?.latencyMs ?? 0) + base;
  }

  #bucket(key: string, rate: number): TokenBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      b = new TokenBucket(rate, this.now());
      this.#buckets.set(key, b);
    }
    return b;
  }

  #throttled(operation: string, pool: string | undefined): boolean {
    const scale = this.#spec.quota?.scale;
    if (scale === undefined) return false;
    const category = OPERATION_CATEGORY[operation];
    if (!category) return false;
    const now = this.now();
    const account = this.#bucket(`account:${category}`, ACCOUNT_RPS[category] * scale);
    const poolRate = POOL_RPS[category];
    // A call must pass both buckets; check the pool first so a pool's storm does not drain the account.
    if (pool !== undefined && poolRate !== undefined && !this.#bucket(`pool:${category}:${pool}`, poolRate * scale).tryTake(now)) return true;
    return !account.tryTake(now);
  }

  decide(operation: string, pool: string | undefined): FaultDecision {
    const i = this.#script.findIndex((s) => (s.operation === undefined || s.operation === operation) && (s.error !== undefined || s.drop));
    if (i >= 0) {
      const s = this.#script[i] as ScriptedFault;
      const left = (s.count ?? 1) - 1;
      if (left <= 0) this.#script.splice(i, 1);
      else this.#script[i] = { ...s, count: left };
      if (s.drop) return { kind: "drop" };
      return { kind: "error", type: s.error as string, message: `Injected ${s.error}` };
    }
    if (this.#throttled(operation, pool)) return { kind: "error", type: "TooManyRequestsException", message: "Rate exceeded" };
    if (this.#spec.dropConnection && this.#random() < this.#spec.dropConnection) return { kind: "drop" };
    for (const [type, p] of Object.entries(this.#spec.errors ?? {})) {
      if (type === "ConcurrentModificationException" && !CONCURRENT_MODIFICATION_OPS.has(operation)) continue;
      if (this.#random() < p) {
        const message =
          type === "ConcurrentModificationException" ? "Two or more modifications are happening concurrently." : type === "InternalErrorException" ? "Internal server error." : `Injected ${type}`;
        return { kind: "error", type, message };
      }
    }
    return { kind: "none" };
  }
}

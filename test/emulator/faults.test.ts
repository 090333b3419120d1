// Quotas and probabilistic faults, deterministic: an injected clock for the token buckets, a seed for the rest.
import { DescribeUserPoolCommand, ListIdentityProvidersCommand, TooManyRequestsException } from "@aws-sdk/client-cognito-identity-provider";
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector, parseFaultSpec } from "../../src/emulator/faults.js";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator.js";

let t: TestEmulator | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function burst(n: number, send: () => Promise<unknown>): Promise<{ ok: number; throttled: number }> {
  let ok = 0;
  let throttled = 0;
  for (let i = 0; i < n; i++) {
    try {
      await send();
      ok++;
    } catch (e) {
      if (e instanceof TooManyRequestsException) throttled++;
      else throw e;
    }
  }
  return { ok, throttled };
}

describe("quota token buckets", () => {
  it("allow 5 reads per second per pool (a second's burst) and refill at that rate", async () => {
    let now = 1_000_000;
    t = await startTestEmulator({ now: () => now, faults: { quota: { scale: 1 } } });
    const pool = await t.createPool();
    const list = () => t!.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 }));
    expect(await burst(8, list)).toEqual({ ok: 5, throttled: 3 });
    now += 400; // 2 tokens
    expect(await burst(3, list)).toEqual({ ok: 2, throttled: 1 });
    now += 1000;
    expect(await burst(6, list)).toEqual({ ok: 5, throttled: 1 });
  });

  it("share the account-wide read rate (20/s) across pools, and scale", async () => {
    const now = 5_000_000;
    t = await startTestEmulator({ now: () => now, faults: { quota: { scale: 2 } } });
    const pools = [];
    for (let i = 0; i < 6; i++) pools.push(await t.createPool());
    let ok = 0;
    for (const pool of pools) ok += (await burst(10, () => t!.client.send(new ListIdentityProvidersCommand({ UserPoolId: pool, MaxResults: 60 })))).ok;
    // 10 per pool allowed at scale 2, but the account allows 40 in the burst.
    expect(ok).toBe(40);
    expect(t.emulator.stats().calls["ListIdentityProviders"]).toEqual({ ok: 40, TooManyRequestsException: 20 });
  });

  it("keep user-pool operations in their own category", async () => {
    const now = 0;
    t = await startTestEmulator({ now: () => now, faults: { quota: { scale: 1 } } });
    const pool = await t.createPool();
    expect(await burst(16, () => t!.client.send(new DescribeUserPoolCommand({ UserPoolId: pool })))).toEqual({ ok: 15, throttled: 1 }); // UserPoolRead: 15/s, untouched by CreateUserPool (UserPoolUpdate)
  });
});

describe("fault spec", () => {
  it("is validated with clear messages", () => {
    expect(() => parseFaultSpec('{"errors": {"Boom": 0.1}}')).toThrow('invalid --faults spec: errors: unknown error type "Boom"');
    expect(() => parseFaultSpec('{"dropConnection": 2}')).toThrow("invalid --faults spec: dropConnection must be a probability between 0 and 1");
    expect(() => parseFaultSpec("{nope")).toThrow(/^invalid --faults spec: /);
    expect(() => parseFaultSpec("/no/such/file.json")).toThrow("invalid --faults spec: not JSON and no such file: /no/such/file.json");
    expect(parseFaultSpec('{"quota": {"scale": 1}, "seed": 42}')).toEqual({ quota: { scale: 1 }, seed: 42 });
  });

  it("is reproducible with a seed, and raises ConcurrentModification only where the service can", () => {
    const run = () => {
      const f = new FaultInjector({ errors: { ConcurrentModificationException: 0.3, InternalErrorException: 0.1 }, seed: 42 }, () => 0);
      return Array.from({ length: 200 }, (_, i) => f.decide(i % 2 ? "UpdateIdentityProvider" : "DescribeIdentityProvider", "p"));
    };
    const a = run();
    expect(a).toEqual(run());
    const kinds = (op: number) => a.filter((_, i) => i % 2 === op).map((d) => (d.kind === "error" ? d.type : d.kind));
    expect(kinds(0)).not.toContain("ConcurrentModificationException");
    expect(kinds(1)).toContain("ConcurrentModificationException");
    const rate = kinds(1).filter((k) => k === "ConcurrentModificationException").length / 100;
    expect(rate).toBeGreaterThan(0.15);
    expect(rate).toBeLessThan(0.45);
  });
});
